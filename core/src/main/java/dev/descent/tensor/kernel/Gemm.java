package dev.descent.tensor.kernel;

/**
 * Single-precision general matrix multiply: C = op(A) * op(B), or C += op(A) * op(B).
 *
 * <p>Every element of C is one fused multiply-add chain over k in increasing order,
 * {@code c = fma(a[i][k], b[k][j], c)} starting from 0 (or from the old C when accumulating), so
 * the blocked, packed, parallel vector kernel and its scalar twin produce identical bits for any
 * blocking and any thread count.
 *
 * <p>Layouts are row-major with leading dimensions: A is m x k ({@code transA} false) or k x m
 * stored row-major (transA true, i.e. A^T is used); likewise B is k x n or n x k.
 *
 * <p>Runs {@link VectorGemm} (cache-blocked, packed, register-blocked, multi-threaded) when
 * {@link KernelMode#vectorized()}, else the definition {@link ScalarGemm}.
 */
public final class Gemm {
    private Gemm() {}

    public static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, boolean accumulate) {
        // VectorGemm is only resolved on this branch, so without the incubator module it never loads.
        // Tiny products (a linear layer of 2 inputs on a batch of 32) take the scalar definition:
        // same bits, and no Vector API warm-up for models that never need it (KernelMode.SMALL).
        if (KernelMode.vectorFor((long) m * n * k)) {
            VectorGemm.sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        } else {
            ScalarGemm.sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        }
    }
}
