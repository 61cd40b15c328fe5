package dev.descent.tensor;

import dev.descent.tensor.kernel.BinaryOp;
import dev.descent.tensor.kernel.Kernels;
import dev.descent.tensor.kernel.Parallel;
import dev.descent.tensor.kernel.UnaryOp;

/**
 * Reductions over chosen dimensions. Sums of float32 accumulate in double in a fixed order
 * (see {@link Kernels#sum}); threads split the work by output element only, so a reduction's
 * result never depends on the thread count. Composite reductions (mean, var, logsumexp, softmax)
 * are built from the primitives sum, max and elementwise ops, and so inherit their rules.
 */
final class Reductions {
    private Reductions() {}

    /** Sorted, de-duplicated, non-negative dimensions; an empty array means all dimensions. */
    static int[] normalizeDims(String op, int[] dims, int rank) {
        if (dims.length == 0) {
            int[] all = new int[rank];
            for (int i = 0; i < rank; i++) all[i] = i;
            return all;
        }
        boolean[] used = new boolean[rank];
        for (int d : dims) used[Shapes.dim(op, d, rank)] = true;
        int count = 0;
        for (boolean u : used) if (u) count++;
        int[] out = new int[count];
        for (int i = 0, k = 0; i < rank; i++) if (used[i]) out[k++] = i;
        return out;
    }

    static int[] reducedShape(int[] shape, int[] dims, boolean keepdim) {
        boolean[] reduced = new boolean[shape.length];
        for (int d : dims) reduced[d] = true;
        int[] out = new int[keepdim ? shape.length : shape.length - dims.length];
        for (int i = 0, k = 0; i < shape.length; i++) {
            if (reduced[i]) {
                if (keepdim) out[k++] = 1;
            } else {
                out[k++] = shape[i];
            }
        }
        return out;
    }

    /**
     * Rearranges x as a contiguous [outer, reduced] matrix: kept dimensions first (in order), then
     * reduced ones. Returns x itself when its layout already is that.
     */
    private static Tensor keptThenReduced(Tensor x, int[] dims) {
        int rank = x.shape.length;
        int[] perm = new int[rank];
        boolean[] reduced = new boolean[rank];
        for (int d : dims) reduced[d] = true;
        int k = 0;
        for (int i = 0; i < rank; i++) if (!reduced[i]) perm[k++] = i;
        for (int d : dims) perm[k++] = d;
        Tensor p = Views.permuteRaw(x, perm);
        return p.isContiguous() ? p : p.contiguousCopy();
    }

    static Tensor sumRaw(Tensor x, int[] dimsIn, boolean keepdim) {
        int[] dims = normalizeDims("sum", dimsIn, x.shape.length);
        int[] outShape = reducedShape(x.shape, dims, keepdim);
        Tensor out = Tensor.allocate(x.dtype, outShape);
        int reducedCount = 1;
        for (int d : dims) reducedCount *= x.shape[d];
        int outer = out.numel;
        if (outer == 0) return out;
        boolean leading = dims.length > 0 && dims[dims.length - 1] == dims.length - 1;
        if (x.dtype == DType.F32 && leading && x.isContiguous() && dims.length < x.shape.length) {
            // Reducing the leading dimensions of a contiguous tensor: column sums, rows in order.
            Kernels.sumRows(x.f, x.offset, reducedCount, outer, out.f, 0);
            return out;
        }
        Tensor m = keptThenReduced(x, dims);
        final int r = reducedCount;
        if (x.dtype == DType.F32) {
            Parallel.forRange(outer, Math.max(1, 4096 / Math.max(r, 1)), (from, to) -> {
                for (int i = from; i < to; i++) out.f[i] = (float) Kernels.sum(m.f, m.offset + i * r, r);
            });
        } else {
            for (int i = 0; i < outer; i++) {
                double s = 0;
                for (int j = 0; j < r; j++) s += m.d[m.offset + i * r + j];
                out.d[i] = s;
            }
        }
        return out;
    }

    /** Broadcasts a reduced gradient back to the input's shape as a contiguous tensor. */
    static Tensor expandGrad(Tensor g, int[] inShape, int[] dims) {
        int[] kept = reducedShape(inShape, dims, true);
        Tensor gk = Views.reshapeRaw(g, kept);
        return Ops.broadcastView(gk, inShape).contiguousCopy();
    }

    static Tensor sum(Tensor x, int[] dimsIn, boolean keepdim) {
        int[] dims = normalizeDims("sum", dimsIn, x.shape.length);
        Tensor out = sumRaw(x, dims, keepdim);
        return Ops.record(out, "sum", g -> new Tensor[] {expandGrad(g, x.shape, dims)}, x);
    }

    static Tensor mean(Tensor x, int[] dimsIn, boolean keepdim) {
        int[] dims = normalizeDims("mean", dimsIn, x.shape.length);
        int count = 1;
        for (int d : dims) count *= x.shape[d];
        return Ops.div(sum(x, dims, keepdim), Ops.constantLike(x, count));
    }

    /**
     * Variance over dims with Bessel's correction {@code correction} (1 = unbiased, as torch.var's
     * default; 0 = population): sum((x - mean)^2) / (N - correction).
     */
    static Tensor var(Tensor x, int[] dimsIn, int correction, boolean keepdim) {
        int[] dims = normalizeDims("var", dimsIn, x.shape.length);
        int count = 1;
        for (int d : dims) count *= x.shape[d];
        Tensor centered = Ops.sub(x, mean(x, dims, true));
        Tensor ss = sum(Ops.mul(centered, centered), dims, keepdim);
        return Ops.div(ss, Ops.constantLike(x, Math.max(count - correction, 0)));
    }

    /** Index of the largest element along dim (first one on ties), as a row-major int array of the reduced shape. */
    static int[] argmaxIndices(Tensor x, int dim) {
        int d = Shapes.dim("argmax", dim, x.shape.length);
        Tensor m = keptThenReduced(x, new int[] {d});
        int r = x.shape[d];
        if (r == 0) throw new ShapeException("argmax: dimension " + dim + " is empty");
        int outer = x.numel / r;
        int[] idx = new int[outer];
        for (int i = 0; i < outer; i++) {
            int best = 0;
            double bv = m.dtype == DType.F32 ? m.f[m.offset + i * r] : m.d[m.offset + i * r];
            for (int j = 1; j < r; j++) {
                double v = m.dtype == DType.F32 ? m.f[m.offset + i * r + j] : m.d[m.offset + i * r + j];
                if (v > bv || (Double.isNaN(v) && !Double.isNaN(bv))) {
                    bv = v;
                    best = j;
                }
            }
            idx[i] = best;
        }
        return idx;
    }

    static Tensor argmax(Tensor x, int dim, boolean keepdim) {
        int d = Shapes.dim("argmax", dim, x.shape.length);
        int[] idx = argmaxIndices(x, d);
        float[] v = new float[idx.length];
        for (int i = 0; i < idx.length; i++) v[i] = idx[i];
        return Tensor.of(v, reducedShape(x.shape, new int[] {d}, keepdim));
    }

    /** Largest value along dim; the gradient flows to the position argmax reports. */
    static Tensor max(Tensor x, int dim, boolean keepdim) {
        int d = Shapes.dim("max", dim, x.shape.length);
        int[] idx = argmaxIndices(x, d);
        Tensor m = keptThenReduced(x, new int[] {d});
        int r = x.shape[d];
        Tensor out = Tensor.allocate(x.dtype, reducedShape(x.shape, new int[] {d}, keepdim));
        for (int i = 0; i < idx.length; i++) {
            if (x.dtype == DType.F32) out.f[i] = m.f[m.offset + i * r + idx[i]];
            else out.d[i] = m.d[m.offset + i * r + idx[i]];
        }
        return Ops.record(out, "max", g -> {
            // Scatter g into the arg-max positions of a [outer, r] buffer, then undo the permutation.
            Tensor buf = Tensor.allocate(x.dtype, new int[] {idx.length, r});
            Tensor gc = g.isContiguous() ? g : g.contiguousCopy();
            for (int i = 0; i < idx.length; i++) {
                if (x.dtype == DType.F32) buf.f[i * r + idx[i]] = gc.f[gc.offset + i];
                else buf.d[i * r + idx[i]] = gc.d[gc.offset + i];
            }
            return new Tensor[] {Views.undoKeptThenReduced(buf, x.shape, d)};
        }, x);
    }

    /** Largest element overall (gradient to the first maximal element). */
    static Tensor maxAll(Tensor x) {
        return max(Views.reshape(x, x.numel), 0, false);
    }

    /** log(sum(exp(x))) along dim, computed as m + log(sum(exp(x - m))) with m the (constant) max. */
    static Tensor logsumexp(Tensor x, int dim, boolean keepdim) {
        int d = Shapes.dim("logsumexp", dim, x.shape.length);
        Tensor m = shift(x, d);
        Tensor out = Ops.add(Ops.log(sum(Ops.exp(Ops.sub(x, m)), new int[] {d}, true)), m);
        return keepdim ? out : Views.squeeze(out, d);
    }

    /** The max along d (kept), a constant, with 0 where it is infinite: a row of -inf would give -inf - -inf = NaN. */
    private static Tensor shift(Tensor x, int d) {
        Tensor m = max(x.detach(), d, true);
        Tensor infinite = Ops.compare("logsumexp", BinaryOp.EQ, Ops.map(UnaryOp.ABS, m), Ops.constantLike(m, Double.POSITIVE_INFINITY));
        return Ops.where(infinite, Ops.constantLike(m, 0), m);
    }

    /**
     * {@code (x - m) - log(sum(exp(x - m)))} with m the (constant) max, in PyTorch's order rather
     * than {@code x - logsumexp(x)}: the rounding of {@code m + log(...)} for large logits would
     * be an absolute error in every output (an ulp of 60 is 3.8e-6), a large relative one in
     * log-probabilities near 0 and in gradients {@code p - 1}; {@code x - m} is exact near the
     * maximum. Same arithmetic as {@code SoftmaxCrossEntropyRows}.
     */
    static Tensor logSoftmax(Tensor x, int dim) {
        int d = Shapes.dim("logSoftmax", dim, x.shape.length);
        Tensor shifted = Ops.sub(x, shift(x, d));
        return Ops.sub(shifted, Ops.log(sum(Ops.exp(shifted), new int[] {d}, true)));
    }

    static Tensor softmax(Tensor x, int dim) {
        return Ops.exp(logSoftmax(x, dim));
    }
}
