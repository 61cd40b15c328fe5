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

    /**
     * op(B) of products that reuse it many times (a recurrent layer's W_hh, once per time step),
     * packed once into the panel layout the vector kernel streams ({@link #packB}), so each product
     * skips packing it. The packing is a copy, so a product with it gives exactly the bits of
     * {@link #sgemm} with the unpacked B. In scalar mode it holds only the operand.
     */
    public static final class PackedB {
        final boolean transB;
        final int k, n, bOff, ldb;
        final float[] b;
        /** All of op(B) as {@code nr}-column panels, depth by depth (null: not packed). */
        final float[] panels;
        final int nr;

        PackedB(boolean transB, int k, int n, float[] b, int bOff, int ldb, float[] panels, int nr) {
            this.transB = transB;
            this.k = k;
            this.n = n;
            this.b = b;
            this.bOff = bOff;
            this.ldb = ldb;
            this.panels = panels;
            this.nr = nr;
        }
    }

    /**
     * Packs op(B), k x n (B stored as for {@link #sgemm}), for {@link #sgemm(boolean, int, float[], int, int, PackedB, float[], int, int, boolean)};
     * B must not change while the packed copy is in use.
     */
    public static PackedB packB(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        if (!KernelMode.vectorFor((long) k * n) || k <= 0 || n <= 0) return new PackedB(transB, k, n, b, bOff, ldb, null, 0);
        return VectorGemm.packWhole(transB, k, n, b, bOff, ldb);
    }

    /** C = op(A) * op(B) (or C += ...) for op(A) m x k and a packed op(B): {@link #sgemm}'s bits. */
    public static void sgemm(boolean transA, int m, float[] a, int aOff, int lda, PackedB b, float[] c, int cOff, int ldc, boolean accumulate) {
        if (b.panels != null && KernelMode.vectorFor((long) m * b.n * b.k)) {
            VectorGemm.sgemmPacked(transA, m, a, aOff, lda, b, c, cOff, ldc, accumulate);
        } else {
            sgemm(transA, b.transB, m, b.n, b.k, a, aOff, lda, b.b, b.bOff, b.ldb, c, cOff, ldc, accumulate);
        }
    }

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
