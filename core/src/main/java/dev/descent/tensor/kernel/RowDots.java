package dev.descent.tensor.kernel;

/**
 * All dot products between the rows of two row-major matrices over a long shared length:
 * {@code c[i][j] = sum over p < len of a[i][p] * b[j][p]} for i &lt; m, j &lt; n. This is
 * C = A B^T, the weight gradient of a convolution ({@code dW = dY cols^T}), in the shape where
 * a blocked matrix multiply does poorly: few outputs (say 32 x 9 for a first-layer 3x3 conv) and
 * a depth of N*OH*OW (86,528 for 128 images of 26 x 26), so every register tile is a ragged edge.
 *
 * <p>Fixed summation order, the definition both twins compute: {@link #LANES} partial sums, lane l
 * an fma chain over p = l, l + 8, l + 16, ... in increasing order (the final len % 8 elements
 * included the same way), combined as {@code ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))}.
 * The Vector API twin keeps the eight lanes in one 256-bit vector and blocks p for cache reuse,
 * which changes no operation; threads split the rows of C only. Results are therefore identical
 * in vector and scalar mode and for any thread count.
 */
public final class RowDots {
    /** Number of interleaved partial sums per dot product (one 256-bit float vector). */
    public static final int LANES = 8;
    /** Each thread should get at least this many multiply-adds. */
    private static final long PARALLEL_GRAIN = 1 << 18;

    private RowDots() {}

    public static void rowDots(int m, int n, int len, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                               float[] c, int cOff, int ldc) {
        float[] partial = new float[m * n * LANES];
        accumulate(m, n, len, a, aOff, lda, b, bOff, ldb, partial, 0);
        combine(m, n, partial, 0, c, cOff, ldc);
    }

    /**
     * Continues the lane chains of all m x n dot products over {@code len} more positions:
     * {@code partial[pOff + (i*n + j)*LANES + l]} holds lane l of c[i][j] (zeros to start). Within one
     * call, position p goes to lane p % LANES. Splitting a long sum into several calls keeps the
     * result deterministic (it depends on the split, which callers fix, not on threads).
     */
    public static void accumulate(int m, int n, int len, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                  float[] partial, int pOff) {
        if (m <= 0 || n <= 0 || len <= 0) return;
        int grain = (int) Math.max(1, PARALLEL_GRAIN / Math.max(1L, (long) n * len));
        int full = len / LANES * LANES;
        Parallel.forRange(m, grain, (from, to) -> {
            if (KernelMode.vectorized()) {
                VectorRowDots.lanes(from, to, n, full, a, aOff, lda, b, bOff, ldb, partial, pOff);
            } else {
                lanes(from, to, n, full, a, aOff, lda, b, bOff, ldb, partial, pOff);
            }
            for (int i = from; i < to; i++) {
                for (int j = 0; j < n; j++) {
                    int pb = pOff + (i * n + j) * LANES, ar = aOff + i * lda, br = bOff + j * ldb;
                    for (int p = full; p < len; p++) partial[pb + p - full] = Math.fma(a[ar + p], b[br + p], partial[pb + p - full]);
                }
            }
        });
    }

    /** c[i][j] = the fixed pairwise sum of the lanes of dot product (i, j). */
    public static void combine(int m, int n, float[] partial, int pOff, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) c[cOff + i * ldc + j] = combine(partial, pOff + (i * n + j) * LANES);
        }
    }

    static float combine(float[] s, int o) {
        return ((s[o] + s[o + 1]) + (s[o + 2] + s[o + 3])) + ((s[o + 4] + s[o + 5]) + (s[o + 6] + s[o + 7]));
    }

    /** Scalar twin: the lane chains over p &lt; full (a multiple of LANES) for rows [i0, i1) of a. */
    static void lanes(int i0, int i1, int n, int full, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float[] partial, int pOff) {
        for (int i = i0; i < i1; i++) {
            int ar = aOff + i * lda;
            for (int j = 0; j < n; j++) {
                int br = bOff + j * ldb, pb = pOff + (i * n + j) * LANES;
                for (int p = 0; p < full; p += LANES) {
                    for (int l = 0; l < LANES; l++) partial[pb + l] = Math.fma(a[ar + p + l], b[br + p + l], partial[pb + l]);
                }
            }
        }
    }
}
