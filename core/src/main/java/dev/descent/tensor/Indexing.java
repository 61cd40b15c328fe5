package dev.descent.tensor;

/**
 * Index-driven primitives: gather, index_select, scatter_add and one-hot encoding, with PyTorch's
 * semantics. Descent has no integer dtype, so index tensors carry whole numbers in float storage;
 * every index is checked to be integral and in range before anything is read, and a bad one is
 * reported with the op, its position, its value and the size it must stay below.
 *
 * <p>Rules (all linear in the differentiated input):
 * <ul>
 *   <li>gather: {@code out[..i..] = x[..index[..i..]..]} along dim, so dL/dx is dL/dout
 *       scatter-added into zeros of x's shape (an x element picked twice gets both gradients);
 *   <li>index_select: dL/dx is dL/dout index-added into zeros, repeated indices accumulating
 *       (this is the Embedding gradient);
 *   <li>scatter_add: {@code out = self + scatter(src)}, so dL/dself = dL/dout and
 *       dL/dsrc = dL/dout gathered at the same positions (zero where index does not reach).
 * </ul>
 * Accumulations run in one fixed order (row-major over the index), so results are deterministic.
 */
final class Indexing {
    private Indexing() {}

    // ------------------------------------------------------------------------------ validation

    /** The index values as ints, each checked to be a whole number in [0, size). */
    static int[] indices(String op, Tensor index, int size, int dim) {
        double[] v = index.toDoubleArray();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) out[i] = checkIndex(op, v[i], i, size, dim);
        return out;
    }

    private static int checkIndex(String op, double v, int position, int size, int dim) {
        if (v != Math.rint(v) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(op + ": index " + v + " at position " + position + " is not a whole number");
        }
        if (v < 0 || v >= size) {
            throw new IndexOutOfBoundsException(op + ": index " + (long) v + " at position " + position
                    + " is out of range for dimension " + dim + " of size " + size);
        }
        return (int) v;
    }

    /**
     * Checks torch's shape contract for gather/scatter_add: same rank, and index no larger than
     * {@code other} in any dimension except {@code dim} (and no larger than {@code src}, if given,
     * in every dimension).
     */
    private static void checkIndexShape(String op, int dim, Tensor index, Tensor other, Tensor src) {
        if (index.shape.length != other.shape.length || (src != null && src.shape.length != index.shape.length)) {
            throw new ShapeException(op + ": index " + Shapes.format(index.shape) + " must have the rank of input "
                    + Shapes.format(other.shape) + (src == null ? "" : " and src " + Shapes.format(src.shape)));
        }
        for (int k = 0; k < index.shape.length; k++) {
            if ((k != dim && index.shape[k] > other.shape[k]) || (src != null && index.shape[k] > src.shape[k])) {
                throw new ShapeException(op + ": index " + Shapes.format(index.shape) + " is larger than input "
                        + Shapes.format(other.shape) + (src == null ? "" : " or src " + Shapes.format(src.shape))
                        + " in dimension " + k + " (dim " + dim + ")");
            }
        }
    }

    // ------------------------------------------------------------------------------ strided walks

    /**
     * For each element of an index-shaped walk (row-major), the storage offset of that element in
     * {@code t} after replacing its coordinate along {@code dim} by {@code idx[i]}; {@code t} may be
     * larger than the index shape in any dimension (torch allows that).
     */
    private static int[] offsets(Tensor t, int[] indexShape, int dim, int[] idx) {
        int n = Shapes.numel(indexShape);
        int[] out = new int[n];
        int[] coord = new int[indexShape.length];
        for (int i = 0; i < n; i++) {
            int o = t.offset;
            for (int k = 0; k < coord.length; k++) o += (k == dim && idx != null ? idx[i] : coord[k]) * t.strides[k];
            out[i] = o;
            for (int k = coord.length - 1; k >= 0; k--) {
                if (++coord[k] < indexShape[k]) break;
                coord[k] = 0;
            }
        }
        return out;
    }

    /** dst[dstOffsets[i]] += src[srcOffsets[i]] in order of i. */
    private static void addAt(Tensor dst, int[] dstOffsets, Tensor src, int[] srcOffsets) {
        for (int i = 0; i < dstOffsets.length; i++) {
            if (dst.dtype == DType.F32) dst.f[dstOffsets[i]] += src.f[srcOffsets[i]];
            else dst.d[dstOffsets[i]] += src.d[srcOffsets[i]];
        }
    }

    /** A contiguous tensor of {@code shape} with out[i] = src[srcOffsets[i]]. */
    private static Tensor pick(Tensor src, int[] shape, int[] srcOffsets) {
        Tensor out = Tensor.allocate(src.dtype, shape);
        for (int i = 0; i < srcOffsets.length; i++) {
            if (out.dtype == DType.F32) out.f[i] = src.f[srcOffsets[i]];
            else out.d[i] = src.d[srcOffsets[i]];
        }
        return out;
    }

    // ------------------------------------------------------------------------------ gather

    /** {@code out[i][j][k] = x[i][index[i][j][k]][k]} for dim 1, and likewise for any dim. */
    static Tensor gather(Tensor x, int dimIn, Tensor index) {
        int dim = Shapes.dim("gather", dimIn, x.shape.length);
        checkIndexShape("gather", dim, index, x, null);
        int[] idx = indices("gather", index, x.shape[dim], dim);
        int[] from = offsets(x, index.shape, dim, idx);
        Tensor out = pick(x, index.shape, from);
        return Ops.record(out, "gather", g -> {
            Tensor gx = x.zerosLike();
            Tensor gc = g.isContiguous() ? g : g.contiguousCopy();
            addAt(gx, offsets(gx, index.shape, dim, idx), gc, offsets(gc, index.shape, dim, null));
            return new Tensor[] {gx, null};
        }, x, null);
    }

    // ------------------------------------------------------------------------------ index_select

    /** The slices of x at positions {@code index} along dim, in that order (repeats allowed). */
    static Tensor indexSelect(Tensor x, int dimIn, int[] index) {
        int dim = Shapes.dim("indexSelect", dimIn, x.shape.length);
        int size = x.shape[dim];
        for (int i = 0; i < index.length; i++) checkIndex("indexSelect", index[i], i, size, dim);
        int[] idx = index.clone();
        Tensor xc = x.isContiguous() ? x : x.contiguousCopy();
        int outer = 1, inner = 1;
        for (int k = 0; k < dim; k++) outer *= x.shape[k];
        for (int k = dim + 1; k < x.shape.length; k++) inner *= x.shape[k];
        int[] outShape = x.shape.clone();
        outShape[dim] = idx.length;
        Tensor out = Tensor.allocate(x.dtype, outShape);
        // Row-major x is [outer, size, inner]: each selected slice is one contiguous run of inner values.
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < idx.length; j++) {
                int src = xc.offset + (o * size + idx[j]) * inner, dst = (o * idx.length + j) * inner;
                if (x.dtype == DType.F32) System.arraycopy(xc.f, src, out.f, dst, inner);
                else System.arraycopy(xc.d, src, out.d, dst, inner);
            }
        }
        final int fo = outer, fi = inner;
        return Ops.record(out, "indexSelect", g -> {
            Tensor gc = g.isContiguous() ? g : g.contiguousCopy();
            Tensor gx = Tensor.allocate(x.dtype, x.shape);
            for (int o = 0; o < fo; o++) {
                for (int j = 0; j < idx.length; j++) {
                    int dst = (o * size + idx[j]) * fi, src = gc.offset + (o * idx.length + j) * fi;
                    for (int e = 0; e < fi; e++) {
                        if (gx.dtype == DType.F32) gx.f[dst + e] += gc.f[src + e];
                        else gx.d[dst + e] += gc.d[src + e];
                    }
                }
            }
            return new Tensor[] {gx};
        }, x);
    }

    // ------------------------------------------------------------------------------ scatter_add

    /** A copy of {@code self} with {@code src[..i..]} added at {@code self[..index[..i..]..]} along dim. */
    static Tensor scatterAdd(Tensor self, int dimIn, Tensor index, Tensor src) {
        Ops.sameDType("scatterAdd", self, src);
        int dim = Shapes.dim("scatterAdd", dimIn, self.shape.length);
        checkIndexShape("scatterAdd", dim, index, self, src);
        int[] idx = indices("scatterAdd", index, self.shape[dim], dim);
        Tensor out = self.contiguousCopy();
        int[] srcOffsets = offsets(src, index.shape, dim, null);
        addAt(out, offsets(out, index.shape, dim, idx), src, srcOffsets);
        return Ops.record(out, "scatterAdd", g -> {
            Tensor gc = g.isContiguous() ? g : g.contiguousCopy();
            Tensor gsrc = null;
            if (src.requiresGrad()) {
                gsrc = Tensor.allocate(src.dtype, src.shape);
                Tensor picked = pick(gc, index.shape, offsets(gc, index.shape, dim, idx));
                int[] into = offsets(gsrc, index.shape, dim, null);
                for (int i = 0; i < into.length; i++) {
                    if (gsrc.dtype == DType.F32) gsrc.f[into[i]] = picked.f[i];
                    else gsrc.d[into[i]] = picked.d[i];
                }
            }
            return new Tensor[] {self.requiresGrad() ? gc : null, null, gsrc};
        }, self, null, src);
    }

    // ------------------------------------------------------------------------------ one-hot

    /** [n, numClasses] float32 with row i all zeros except a 1 at column labels[i]. */
    static Tensor oneHot(int[] labels, int numClasses) {
        if (numClasses < 1) throw new IllegalArgumentException("oneHot: numClasses must be at least 1, got " + numClasses);
        float[] v = new float[labels.length * numClasses];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IndexOutOfBoundsException("oneHot: label " + labels[i] + " at position " + i
                        + " is out of range for " + numClasses + " classes (0.." + (numClasses - 1) + ")");
            }
            v[i * numClasses + labels[i]] = 1f;
        }
        return Tensor.of(v, labels.length, numClasses);
    }
}
