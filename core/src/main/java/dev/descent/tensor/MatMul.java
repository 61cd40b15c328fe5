package dev.descent.tensor;

import dev.descent.tensor.kernel.Gemm;
import java.util.Arrays;

/**
 * Matrix products: 2-D, batched ([..., m, k] x [..., k, n] with equal batch dimensions), and a
 * batch of matrices times one matrix ([..., m, k] x [k, n], the shape of a linear layer), which
 * runs as a single large multiply. Rules: dA = dC B^T and dB = A^T dC, evaluated with transpose
 * flags rather than copies.
 */
final class MatMul {
    private MatMul() {}

    static Tensor matmul(Tensor a, Tensor b) {
        Ops.sameDType("matmul", a, b);
        if (a.shape.length < 2 || b.shape.length < 2) {
            throw new ShapeException("matmul: needs tensors of rank 2 or more, got " + Shapes.format(a.shape) + " and " + Shapes.format(b.shape));
        }
        int ra = a.shape.length, rb = b.shape.length;
        int m = a.shape[ra - 2], k = a.shape[ra - 1], k2 = b.shape[rb - 2], n = b.shape[rb - 1];
        if (k != k2) {
            throw new ShapeException("matmul: shapes " + Shapes.format(a.shape) + " and " + Shapes.format(b.shape)
                    + " do not chain (" + k + " columns vs " + k2 + " rows)");
        }
        if (rb == 2) {
            // [..., m, k] x [k, n]: one multiply over all rows.
            int rows = product(a.shape, 0, ra - 1);
            Tensor a2 = Views.reshapeRaw(a, new int[] {rows, k});
            Tensor c = mm(a2, false, b, false);
            int[] outShape = a.shape.clone();
            outShape[ra - 1] = n;
            Tensor out = Views.reshapeRaw(c, outShape);
            return Ops.record(out, "matmul", g -> {
                Tensor g2 = Views.reshapeRaw(g, new int[] {rows, n});
                return new Tensor[] {
                        a.requiresGrad() ? Views.reshapeRaw(mm(g2, false, b, true), a.shape) : null,
                        b.requiresGrad() ? gradOfRight(a2, g2, b) : null};
            }, a, b);
        }
        if (ra != rb || !Arrays.equals(Arrays.copyOf(a.shape, ra - 2), Arrays.copyOf(b.shape, rb - 2))) {
            throw new ShapeException("matmul: batch dimensions of " + Shapes.format(a.shape) + " and " + Shapes.format(b.shape) + " differ");
        }
        int batch = product(a.shape, 0, ra - 2);
        Tensor a3 = Views.reshapeRaw(a, new int[] {batch, m, k});
        Tensor b3 = Views.reshapeRaw(b, new int[] {batch, k, n});
        Tensor out = bmm(a3, false, b3, false);
        int[] outShape = a.shape.clone();
        outShape[ra - 1] = n;
        Tensor result = Views.reshapeRaw(out, outShape);
        return Ops.record(result, "matmul", g -> {
            Tensor g3 = Views.reshapeRaw(g, new int[] {batch, m, n});
            return new Tensor[] {
                    a.requiresGrad() ? Views.reshapeRaw(bmm(g3, false, b3, true), a.shape) : null,
                    b.requiresGrad() ? Views.reshapeRaw(bmm(a3, true, g3, false), b.shape) : null};
        }, a, b);
    }

    /**
     * A^T G, the gradient of the right operand. When that operand is a transposed view (w.t() in
     * a linear layer) the product is computed as (G^T A) laid out like w and returned as its
     * transposed view, so the gradient reaching w is contiguous and needs no copy. Same bits:
     * each element is the same FMA chain over the rows, and fma(a, b, c) = fma(b, a, c).
     */
    private static Tensor gradOfRight(Tensor a2, Tensor g2, Tensor b) {
        if (!isTransposedRowMajor(b)) return mm(a2, true, g2, false);
        Tensor gT = mm(g2, true, a2, false);
        return Views.permuteRaw(gT, new int[] {1, 0});
    }

    private static int product(int[] s, int from, int to) {
        int p = 1;
        for (int i = from; i < to; i++) p *= s[i];
        return p;
    }

    /** op(a) x op(b) for 2-D tensors, where op transposes when the flag is set. */
    static Tensor mm(Tensor a, boolean ta, Tensor b, boolean tb) {
        // A transposed view of a row-major matrix (w.t() in a linear layer) is passed to the
        // multiply as the original matrix with the transpose flag flipped: no copy. The product
        // is the same bits either way, since each output is one FMA chain over k in order.
        if (isTransposedRowMajor(a)) {
            a = rowMajorBase(a);
            ta = !ta;
        }
        if (isTransposedRowMajor(b)) {
            b = rowMajorBase(b);
            tb = !tb;
        }
        Tensor ac = a.isContiguous() ? a : a.contiguousCopy();
        Tensor bc = b.isContiguous() ? b : b.contiguousCopy();
        int m = ta ? ac.shape[1] : ac.shape[0], k = ta ? ac.shape[0] : ac.shape[1];
        int n = tb ? bc.shape[0] : bc.shape[1];
        Tensor c = Tensor.allocateOverwritten(a.dtype, new int[] {m, n}); // the product writes every element
        multiply(ac, ac.offset, ta, bc, bc.offset, tb, c, 0, m, n, k);
        return c;
    }

    /** A 2-D [r, c] view whose elements are a row-major [c, r] matrix read column-wise. */
    private static boolean isTransposedRowMajor(Tensor t) {
        return t.shape.length == 2 && t.shape[0] > 1 && t.shape[1] > 1 && t.strides[0] == 1 && t.strides[1] == t.shape[0];
    }

    /** The row-major [c, r] matrix behind a transposed view. */
    private static Tensor rowMajorBase(Tensor t) {
        int[] shape = {t.shape[1], t.shape[0]};
        return new Tensor(t, shape, Shapes.contiguousStrides(shape), t.offset);
    }

    /** Batched op(a) x op(b) for 3-D tensors. */
    static Tensor bmm(Tensor a, boolean ta, Tensor b, boolean tb) {
        Tensor ac = a.isContiguous() ? a : a.contiguousCopy();
        Tensor bc = b.isContiguous() ? b : b.contiguousCopy();
        int batch = ac.shape[0];
        int m = ta ? ac.shape[2] : ac.shape[1], k = ta ? ac.shape[1] : ac.shape[2];
        int n = tb ? bc.shape[1] : bc.shape[2];
        Tensor c = Tensor.allocateOverwritten(a.dtype, new int[] {batch, m, n}); // every element written
        for (int i = 0; i < batch; i++) {
            multiply(ac, ac.offset + i * m * k, ta, bc, bc.offset + i * k * n, tb, c, i * m * n, m, n, k);
        }
        return c;
    }

    private static void multiply(Tensor a, int ao, boolean ta, Tensor b, int bo, boolean tb, Tensor c, int co, int m, int n, int k) {
        int lda = ta ? m : k, ldb = tb ? k : n;
        if (a.dtype == DType.F32) {
            Gemm.sgemm(ta, tb, m, n, k, a.f, ao, lda, b.f, bo, ldb, c.f, co, n, false);
            return;
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double av = ta ? a.d[ao + p * lda + i] : a.d[ao + i * lda + p];
                    double bv = tb ? b.d[bo + j * ldb + p] : b.d[bo + p * ldb + j];
                    s += av * bv;
                }
                c.d[co + i * n + j] = s;
            }
        }
    }
}
