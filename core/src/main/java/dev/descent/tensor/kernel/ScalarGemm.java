package dev.descent.tensor.kernel;

/** The scalar twin of the matrix multiply: the definition the vector kernel must match bit for bit. */
public final class ScalarGemm {
    private ScalarGemm() {}

    public static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, boolean accumulate) {
        // Element (i, p) of op(a) is a[aOff + i * aRow + p * aCol], and likewise for b: the
        // transposes become strides, so the inner loop has no branch (this loop is what a tiny
        // model's step runs, first in the interpreter, where every bytecode counts).
        int aRow = transA ? 1 : lda, aCol = transA ? lda : 1;
        int bRow = transB ? 1 : ldb, bCol = transB ? ldb : 1;
        for (int i = 0; i < m; i++) {
            int aBase = aOff + i * aRow;
            for (int j = 0; j < n; j++) {
                int bBase = bOff + j * bCol;
                float acc = accumulate ? c[cOff + i * ldc + j] : 0f;
                for (int p = 0; p < k; p++) acc = Math.fma(a[aBase + p * aCol], b[bBase + p * bRow], acc);
                c[cOff + i * ldc + j] = acc;
            }
        }
    }
}
