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

    /** a x b^T for one row of b (a layer with one output): each row of a against it. */
    private static void rowDots(int m, int k, float[] a, int aOff, int lda, float[] b, int bOff,
                                float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * lda;
            float acc = accumulate ? c[cOff + i * ldc] : 0f;
            for (int p = 0; p < k; p++) acc = Math.fma(a[ai + p], b[bOff + p], acc);
            c[cOff + i * ldc] = acc;
        }
    }

    /** a^T x b for one column of a (the weight gradient of a layer with one output): it against each column of b. */
    private static void columnDots(int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                   float[] c, int cOff, boolean accumulate) {
        for (int j = 0; j < n; j++) {
            float acc = accumulate ? c[cOff + j] : 0f;
            for (int p = 0; p < k; p++) acc = Math.fma(a[aOff + p * lda], b[bOff + p * ldb + j], acc);
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
