package dev.descent.tensor.kernel;

/** The scalar twin of the matrix multiply: the definition the vector kernel must match bit for bit. */
public final class ScalarGemm {
    private ScalarGemm() {}

    public static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, boolean accumulate) {
        // One method per transpose case: each keeps its own profile, so the JIT compiles each
        // once. With one shared loop, a small model's forward (x W^T) and backward (g W, g^T x)
        // products kept invalidating each other's compiled code (three C2 compiles of this
        // method in a 10,000-step logistic regression, most of that run's compile time).
        // Every case is the same definition: c[i][j] = fma chain over p = 0..k-1 in order.
        if (!transA && transB && n == 1) rowDots(m, k, a, aOff, lda, b, bOff, c, cOff, ldc, accumulate);
        else if (transA && !transB && m == 1) columnDots(n, k, a, aOff, lda, b, bOff, ldb, c, cOff, accumulate);
        else if (!transA && transB) dotRows(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        else if (!transA) plain(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        else strided(transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    /**
     * a x b^T for one row of b (a layer with one output): each row of a against it, four rows
     * per pass. Four independent chains per pass run faster, and the loops take a quarter of the
     * back branches: a logistic regression's forward (32 rows of 2 features) took 96 per call
     * with a row per pass, enough for the JIT to compile the loop on stack (a second C2 compile
     * of this method, 4 ms of the one C2 thread) before the method itself.
     */
    private static void rowDots(int m, int k, float[] a, int aOff, int lda, float[] b, int bOff,
                                float[] c, int cOff, int ldc, boolean accumulate) {
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int a0 = aOff + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
            int c0 = cOff + i * ldc, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
            float s0 = accumulate ? c[c0] : 0f, s1 = accumulate ? c[c1] : 0f, s2 = accumulate ? c[c2] : 0f, s3 = accumulate ? c[c3] : 0f;
            for (int p = 0; p < k; p++) {
                float bp = b[bOff + p];
                s0 = Math.fma(a[a0 + p], bp, s0);
                s1 = Math.fma(a[a1 + p], bp, s1);
                s2 = Math.fma(a[a2 + p], bp, s2);
                s3 = Math.fma(a[a3 + p], bp, s3);
            }
            c[c0] = s0;
            c[c1] = s1;
            c[c2] = s2;
            c[c3] = s3;
        }
        for (; i < m; i++) {
            int ai = aOff + i * lda;
            float acc = accumulate ? c[cOff + i * ldc] : 0f;
            for (int p = 0; p < k; p++) acc = Math.fma(a[ai + p], b[bOff + p], acc);
            c[cOff + i * ldc] = acc;
        }
    }

    /**
     * a^T x b for one column of a (the weight gradient of a layer with one output): it against
     * each column of b. The chain over p is written four links per pass (the same fmas in the
     * same order), for a quarter of the back branches; see {@link #rowDots} why they matter.
     */
    private static void columnDots(int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                   float[] c, int cOff, boolean accumulate) {
        for (int j = 0; j < n; j++) {
            float acc = accumulate ? c[cOff + j] : 0f;
            int p = 0;
            for (; p + 4 <= k; p += 4) {
                int ap = aOff + p * lda, bp = bOff + p * ldb + j;
                acc = Math.fma(a[ap], b[bp], acc);
                acc = Math.fma(a[ap + lda], b[bp + ldb], acc);
                acc = Math.fma(a[ap + 2 * lda], b[bp + 2 * ldb], acc);
                acc = Math.fma(a[ap + 3 * lda], b[bp + 3 * ldb], acc);
            }
            for (; p < k; p++) acc = Math.fma(a[aOff + p * lda], b[bOff + p * ldb + j], acc);
            c[cOff + j] = acc;
        }
    }

    /** a x b^T: row i of a against row j of b, both contiguous in p. */
    private static void dotRows(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * lda;
            for (int j = 0; j < n; j++) {
                int bj = bOff + j * ldb;
                float acc = accumulate ? c[cOff + i * ldc + j] : 0f;
                for (int p = 0; p < k; p++) acc = Math.fma(a[ai + p], b[bj + p], acc);
                c[cOff + i * ldc + j] = acc;
            }
        }
    }

    /** a x b: row i of a against column j of b (stride ldb). */
    private static void plain(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * lda;
            for (int j = 0; j < n; j++) {
                float acc = accumulate ? c[cOff + i * ldc + j] : 0f;
                for (int p = 0; p < k; p++) acc = Math.fma(a[ai + p], b[bOff + p * ldb + j], acc);
                c[cOff + i * ldc + j] = acc;
            }
        }
    }

    /** a^T x op(b): column i of a (stride lda) against column or row j of b. */
    private static void strided(boolean transB, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                float[] c, int cOff, int ldc, boolean accumulate) {
        int bRow = transB ? 1 : ldb, bCol = transB ? ldb : 1;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int bj = bOff + j * bCol;
                float acc = accumulate ? c[cOff + i * ldc + j] : 0f;
                for (int p = 0; p < k; p++) acc = Math.fma(a[aOff + p * lda + i], b[bj + p * bRow], acc);
                c[cOff + i * ldc + j] = acc;
            }
        }
    }
}
