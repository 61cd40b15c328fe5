package dev.descent.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API twin of {@link RowDots#lanes}: the eight lane chains of each dot product live in one
 * 256-bit vector ({@code acc = a.fma(b, acc)} is a per-lane {@code Math.fma}). The length is cut
 * into blocks small enough that the block of every row of A and B stays in L2 while all pairs use
 * it; partial sums are stored and reloaded between blocks, which is exact, so the chains are
 * unchanged. Four rows of A go against three of B at a time (7 loads for 12 fmas; one row of A
 * against four of B took 5 loads for 4), the rest one row of A against four, then single, rows of B.
 */
final class VectorRowDots {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    /** Floats per row per block: 41 rows (a 32 x 9 problem) x 1024 x 4 bytes = 164 KB. */
    private static final int BLOCK = 1024;

    private VectorRowDots() {}

    static void lanes(int i0, int i1, int n, int full, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float[] partial, int pOff) {
        for (int p0 = 0; p0 < full; p0 += BLOCK) {
            int p1 = Math.min(full, p0 + BLOCK);
            int i = i0;
            for (; i + 4 <= i1; i += 4) {
                int j = 0;
                for (; j + 3 <= n; j += 3) tile4x3(i, j, n, p0, p1, a, aOff, lda, b, bOff, ldb, partial, pOff);
                for (int r = i; r < i + 4; r++) row(r, j, n, p0, p1, a, aOff, lda, b, bOff, ldb, partial, pOff);
            }
            for (; i < i1; i++) row(i, 0, n, p0, p1, a, aOff, lda, b, bOff, ldb, partial, pOff);
        }
    }

    /**
     * Dot products (i..i+3) x (j..j+2) over [p0, p1): twelve chains in registers, each step loads 4
     * vectors of A and 3 of B for 12 fmas (a 32 x 9 weight gradient: 8 x 3 tiles, no remainder).
     */
    private static void tile4x3(int i, int j, int n, int p0, int p1, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                float[] partial, int pOff) {
        final int L = RowDots.LANES;
        int q0 = pOff + (i * n + j) * L, q1 = q0 + n * L, q2 = q1 + n * L, q3 = q2 + n * L;
        FloatVector c00 = FloatVector.fromArray(S, partial, q0), c01 = FloatVector.fromArray(S, partial, q0 + L),
                c02 = FloatVector.fromArray(S, partial, q0 + 2 * L);
        FloatVector c10 = FloatVector.fromArray(S, partial, q1), c11 = FloatVector.fromArray(S, partial, q1 + L),
                c12 = FloatVector.fromArray(S, partial, q1 + 2 * L);
        FloatVector c20 = FloatVector.fromArray(S, partial, q2), c21 = FloatVector.fromArray(S, partial, q2 + L),
                c22 = FloatVector.fromArray(S, partial, q2 + 2 * L);
        FloatVector c30 = FloatVector.fromArray(S, partial, q3), c31 = FloatVector.fromArray(S, partial, q3 + L),
                c32 = FloatVector.fromArray(S, partial, q3 + 2 * L);
        int a0 = aOff + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
        int b0 = bOff + j * ldb, b1 = b0 + ldb, b2 = b1 + ldb;
        for (int p = p0; p < p1; p += L) {
            FloatVector x0 = FloatVector.fromArray(S, b, b0 + p), x1 = FloatVector.fromArray(S, b, b1 + p), x2 = FloatVector.fromArray(S, b, b2 + p);
            FloatVector av = FloatVector.fromArray(S, a, a0 + p);
            c00 = av.fma(x0, c00);
            c01 = av.fma(x1, c01);
            c02 = av.fma(x2, c02);
            av = FloatVector.fromArray(S, a, a1 + p);
            c10 = av.fma(x0, c10);
            c11 = av.fma(x1, c11);
            c12 = av.fma(x2, c12);
            av = FloatVector.fromArray(S, a, a2 + p);
            c20 = av.fma(x0, c20);
            c21 = av.fma(x1, c21);
            c22 = av.fma(x2, c22);
            av = FloatVector.fromArray(S, a, a3 + p);
            c30 = av.fma(x0, c30);
            c31 = av.fma(x1, c31);
            c32 = av.fma(x2, c32);
        }
        c00.intoArray(partial, q0);
        c01.intoArray(partial, q0 + L);
        c02.intoArray(partial, q0 + 2 * L);
        c10.intoArray(partial, q1);
        c11.intoArray(partial, q1 + L);
        c12.intoArray(partial, q1 + 2 * L);
        c20.intoArray(partial, q2);
        c21.intoArray(partial, q2 + L);
        c22.intoArray(partial, q2 + 2 * L);
        c30.intoArray(partial, q3);
        c31.intoArray(partial, q3 + L);
        c32.intoArray(partial, q3 + 2 * L);
    }

    /** Row i of A against rows j.. of B over [p0, p1): four rows of B per loaded vector of A, then one by one. */
    private static void row(int i, int j, int n, int p0, int p1, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float[] partial, int pOff) {
        final int L = RowDots.LANES;
        int ar = aOff + i * lda;
        for (; j + 4 <= n; j += 4) {
            int pb = pOff + (i * n + j) * L;
            FloatVector c0 = FloatVector.fromArray(S, partial, pb), c1 = FloatVector.fromArray(S, partial, pb + L);
            FloatVector c2 = FloatVector.fromArray(S, partial, pb + 2 * L), c3 = FloatVector.fromArray(S, partial, pb + 3 * L);
            int b0 = bOff + j * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
            for (int p = p0; p < p1; p += L) {
                FloatVector av = FloatVector.fromArray(S, a, ar + p);
                c0 = av.fma(FloatVector.fromArray(S, b, b0 + p), c0);
                c1 = av.fma(FloatVector.fromArray(S, b, b1 + p), c1);
                c2 = av.fma(FloatVector.fromArray(S, b, b2 + p), c2);
                c3 = av.fma(FloatVector.fromArray(S, b, b3 + p), c3);
            }
            c0.intoArray(partial, pb);
            c1.intoArray(partial, pb + L);
            c2.intoArray(partial, pb + 2 * L);
            c3.intoArray(partial, pb + 3 * L);
        }
        for (; j < n; j++) {
            int pb = pOff + (i * n + j) * L, br = bOff + j * ldb;
            FloatVector c0 = FloatVector.fromArray(S, partial, pb);
            for (int p = p0; p < p1; p += L) {
                c0 = FloatVector.fromArray(S, a, ar + p).fma(FloatVector.fromArray(S, b, br + p), c0);
            }
            c0.intoArray(partial, pb);
        }
    }
}
