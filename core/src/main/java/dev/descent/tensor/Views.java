package dev.descent.tensor;

import java.util.Arrays;
import java.util.List;

/**
 * Shape-changing primitives: reshape, permute, narrow (slicing), expand, and the copies concat
 * and stack. Views share storage and cost nothing; each rule sends the gradient back through the
 * inverse rearrangement.
 */
final class Views {
    private Views() {}

    /** Resolves one -1 entry and checks the element count. */
    static int[] resolveShape(String op, int[] from, int[] to) {
        int[] out = to.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                if (infer >= 0) throw new ShapeException(op + ": only one dimension may be -1 in " + Shapes.format(to));
                infer = i;
            } else {
                if (out[i] < 0) throw new ShapeException(op + ": negative dimension in " + Shapes.format(to));
                known *= out[i];
            }
        }
        int n = Shapes.numel(from);
        if (infer >= 0) {
            if (known == 0 || n % known != 0) {
                throw new ShapeException(op + ": cannot reshape " + Shapes.format(from) + " into " + Shapes.format(to));
            }
            out[infer] = (int) (n / known);
        }
        if (Shapes.numel(out) != n) {
            throw new ShapeException(op + ": cannot reshape " + Shapes.format(from) + " (" + n + " elements) into " + Shapes.format(to));
        }
        return out;
    }

    static Tensor reshapeRaw(Tensor x, int[] shape) {
        int[] s = resolveShape("reshape", x.shape, shape);
        Tensor base = x.isContiguous() ? x : x.contiguousCopy();
        return new Tensor(base, s, Shapes.contiguousStrides(s), base.offset);
    }

    static Tensor reshape(Tensor x, int... shape) {
        Tensor out = reshapeRaw(x, shape);
        return Ops.record(out, "reshape", g -> new Tensor[] {reshapeRaw(g, x.shape)}, x);
    }

    static int[] checkPermutation(int[] perm, int rank) {
        if (perm.length != rank) throw new ShapeException("permute: " + perm.length + " dimensions given for a tensor of rank " + rank);
        int[] p = new int[rank];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            p[i] = Shapes.dim("permute", perm[i], rank);
            if (seen[p[i]]) throw new ShapeException("permute: dimension " + perm[i] + " repeated in " + Arrays.toString(perm));
            seen[p[i]] = true;
        }
        return p;
    }

    static Tensor permuteRaw(Tensor x, int[] perm) {
        int[] shape = new int[perm.length], strides = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            shape[i] = x.shape[perm[i]];
            strides[i] = x.strides[perm[i]];
        }
        return new Tensor(x, shape, strides, x.offset);
    }

    static Tensor permute(Tensor x, int... dims) {
        int[] perm = checkPermutation(dims, x.shape.length);
        int[] inverse = new int[perm.length];
        for (int i = 0; i < perm.length; i++) inverse[perm[i]] = i;
        return Ops.record(permuteRaw(x, perm), "permute", g -> new Tensor[] {permuteRaw(g, inverse)}, x);
    }

    static Tensor transpose(Tensor x, int d0, int d1) {
        int rank = x.shape.length;
        int a = Shapes.dim("transpose", d0, rank), b = Shapes.dim("transpose", d1, rank);
        int[] perm = new int[rank];
        for (int i = 0; i < rank; i++) perm[i] = i;
        perm[a] = b;
        perm[b] = a;
        return permute(x, perm);
    }

    /** Inverse of Reductions' kept-then-reduced layout for one reduced dim: buf is [outer, r]. */
    static Tensor undoKeptThenReduced(Tensor buf, int[] shape, int dim) {
        int rank = shape.length;
        int[] perm = new int[rank];
        int k = 0;
        for (int i = 0; i < rank; i++) if (i != dim) perm[k++] = i;
        perm[k] = dim;
        int[] permutedShape = new int[rank];
        for (int i = 0; i < rank; i++) permutedShape[i] = shape[perm[i]];
        Tensor p = reshapeRaw(buf, permutedShape);
        int[] inverse = new int[rank];
        for (int i = 0; i < rank; i++) inverse[perm[i]] = i;
        return permuteRaw(p, inverse).contiguousCopy();
    }

    /** Elements start..start+length-1 along dim, as a view. */
    static Tensor narrow(Tensor x, int dim, int start, int length) {
        int d = Shapes.dim("narrow", dim, x.shape.length);
        if (start < 0 || length < 0 || start + length > x.shape[d]) {
            throw new ShapeException("narrow: range [" + start + ", " + (start + length) + ") outside dimension " + dim
                    + " of size " + x.shape[d] + " in shape " + Shapes.format(x.shape));
        }
        int[] shape = x.shape.clone();
        shape[d] = length;
        Tensor out = new Tensor(x, shape, x.strides.clone(), x.offset + start * x.strides[d]);
        return Ops.record(out, "narrow", g -> {
            Tensor full = x.zerosLike();
            copyInto(new Tensor(full, shape, full.strides.clone(), start * full.strides[d]), g);
            return new Tensor[] {full};
        }, x);
    }

    /** Copies src's values into the (possibly strided) view dst of the same shape. */
    static void copyInto(Tensor dst, Tensor src) {
        StridedIndex id = new StridedIndex(dst.shape, dst.strides, dst.offset);
        StridedIndex is = new StridedIndex(src.shape, src.strides, src.offset);
        for (int i = 0; i < dst.numel; i++, id.next(), is.next()) {
            if (dst.dtype == DType.F32) dst.f[id.offset] = src.dtype == DType.F32 ? src.f[is.offset] : (float) src.d[is.offset];
            else dst.d[id.offset] = src.dtype == DType.F32 ? src.f[is.offset] : src.d[is.offset];
        }
    }

    static Tensor expand(Tensor x, int... shape) {
        int[] target = shape.clone();
        int lead = target.length - x.shape.length;
        if (lead < 0) throw new ShapeException("expand: cannot expand " + Shapes.format(x.shape) + " to fewer dimensions " + Shapes.format(shape));
        for (int i = 0; i < target.length; i++) {
            if (target[i] == -1) {
                if (i < lead) throw new ShapeException("expand: -1 not allowed for new leading dimension in " + Shapes.format(shape));
                target[i] = x.shape[i - lead];
            }
            if (i >= lead && x.shape[i - lead] != 1 && x.shape[i - lead] != target[i]) {
                throw new ShapeException("expand: cannot expand " + Shapes.format(x.shape) + " to " + Shapes.format(shape));
            }
        }
        return Ops.record(Ops.broadcastView(x, target), "expand", g -> new Tensor[] {Ops.sumToShape(g, x.shape)}, x);
    }

    static Tensor contiguous(Tensor x) {
        if (x.isContiguous()) return x;
        return Ops.record(x.contiguousCopy(), "contiguous", g -> new Tensor[] {g}, x);
    }

    static Tensor unsqueeze(Tensor x, int dim) {
        int d = dim < 0 ? dim + x.shape.length + 1 : dim;
        if (d < 0 || d > x.shape.length) throw new ShapeException("unsqueeze: dimension " + dim + " out of range for rank " + x.shape.length);
        int[] shape = new int[x.shape.length + 1];
        for (int i = 0, k = 0; i < shape.length; i++) shape[i] = i == d ? 1 : x.shape[k++];
        return reshape(x, shape);
    }

    static Tensor squeeze(Tensor x, int dim) {
        int d = Shapes.dim("squeeze", dim, x.shape.length);
        if (x.shape[d] != 1) return x;
        int[] shape = new int[x.shape.length - 1];
        for (int i = 0, k = 0; i < x.shape.length; i++) if (i != d) shape[k++] = x.shape[i];
        return reshape(x, shape);
    }

    static Tensor flatten(Tensor x, int startDim) {
        int s = Shapes.dim("flatten", startDim, x.shape.length);
        int[] shape = new int[s + 1];
        int tail = 1;
        for (int i = 0; i < x.shape.length; i++) {
            if (i < s) shape[i] = x.shape[i];
            else tail *= x.shape[i];
        }
        shape[s] = tail;
        return reshape(x, shape);
    }

    /** Joins tensors along an existing dimension. */
    static Tensor cat(List<Tensor> parts, int dim) {
        if (parts.isEmpty()) throw new IllegalArgumentException("cat: no tensors given");
        Tensor first = parts.get(0);
        int d = Shapes.dim("cat", dim, first.shape.length);
        int total = 0;
        for (Tensor t : parts) {
            Ops.sameDType("cat", first, t);
            if (t.shape.length != first.shape.length) {
                throw new ShapeException("cat: tensors of rank " + first.shape.length + " and " + t.shape.length);
            }
            for (int i = 0; i < t.shape.length; i++) {
                if (i != d && t.shape[i] != first.shape[i]) {
                    throw new ShapeException("cat: shapes " + Shapes.format(first.shape) + " and " + Shapes.format(t.shape)
                            + " differ outside dimension " + dim);
                }
            }
            total += t.shape[d];
        }
        int[] shape = first.shape.clone();
        shape[d] = total;
        Tensor out = Tensor.allocate(first.dtype, shape);
        int[] starts = new int[parts.size()];
        int at = 0;
        for (int p = 0; p < parts.size(); p++) {
            Tensor t = parts.get(p);
            starts[p] = at;
            int[] viewShape = shape.clone();
            viewShape[d] = t.shape[d];
            copyInto(new Tensor(out, viewShape, out.strides.clone(), at * out.strides[d]), t);
            at += t.shape[d];
        }
        Tensor[] inputs = parts.toArray(new Tensor[0]);
        return Ops.record(out, "cat", g -> {
            Tensor[] grads = new Tensor[inputs.length];
            for (int p = 0; p < inputs.length; p++) {
                if (!inputs[p].requiresGrad()) continue;
                try (var scope = GradMode.noGrad()) {
                    grads[p] = narrow(g, d, starts[p], inputs[p].shape[d]).contiguousCopy();
                }
            }
            return grads;
        }, inputs);
    }

    /** Joins same-shaped tensors along a new dimension. */
    static Tensor stack(List<Tensor> parts, int dim) {
        if (parts.isEmpty()) throw new IllegalArgumentException("stack: no tensors given");
        int rank = parts.get(0).shape.length;
        int d = dim < 0 ? dim + rank + 1 : dim;
        for (Tensor t : parts) {
            if (!Arrays.equals(t.shape, parts.get(0).shape)) {
                throw new ShapeException("stack: shapes " + Shapes.format(parts.get(0).shape) + " and " + Shapes.format(t.shape) + " differ");
            }
        }
        return cat(parts.stream().map(t -> unsqueeze(t, d)).toList(), d);
    }
}
