package dev.descent.tensor.kernel;

import java.util.Random;

/**
 * One random sgemm call for the tests: operands with offsets and padded leading dimensions, so a
 * kernel that ignores an offset or assumes a dense layout reads the wrong values. The padding is
 * filled with NaN so that any read of it poisons the result.
 */
final class GemmProblem {
    final boolean transA, transB, accumulate;
    final int m, n, k, aOff, lda, bOff, ldb, cOff, ldc;
    final float[] a, b, c0;

    GemmProblem(Random rnd, int m, int n, int k, boolean transA, boolean transB, boolean accumulate) {
        this.m = m;
        this.n = n;
        this.k = k;
        this.transA = transA;
        this.transB = transB;
        this.accumulate = accumulate;
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        aOff = rnd.nextInt(5);
        lda = aCols + rnd.nextInt(4);
        bOff = rnd.nextInt(5);
        ldb = bCols + rnd.nextInt(4);
        cOff = rnd.nextInt(5);
        ldc = n + rnd.nextInt(4);
        a = matrix(rnd, aOff, aRows, aCols, lda);
        b = matrix(rnd, bOff, bRows, bCols, ldb);
        c0 = matrix(rnd, cOff, m, n, ldc);
    }

    private static float[] matrix(Random rnd, int off, int rows, int cols, int ld) {
        float[] x = new float[off + Math.max(0, rows - 1) * ld + cols + 3];
        java.util.Arrays.fill(x, Float.NaN);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) x[off + r * ld + j] = (float) rnd.nextGaussian();
        }
        return x;
    }

    /** op(A)[i][p] as stored. */
    float a(int i, int p) {
        return transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
    }

    /** op(B)[p][j] as stored. */
    float b(int p, int j) {
        return transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
    }

    /** A fresh copy of the initial C (with its NaN padding) for one kernel to write into. */
    float[] freshC() {
        return c0.clone();
    }

    void runGemm(float[] c) {
        Gemm.sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    void runScalar(float[] c) {
        ScalarGemm.sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    void runBlocked(float[] c) {
        VectorGemm.blocked(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    void runDirect(float[] c) {
        GemmDirect.sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    @Override
    public String toString() {
        return "m=" + m + " n=" + n + " k=" + k + " transA=" + transA + " transB=" + transB + " accumulate=" + accumulate
                + " offsets=" + aOff + "/" + bOff + "/" + cOff + " ld=" + lda + "/" + ldb + "/" + ldc;
    }
}
