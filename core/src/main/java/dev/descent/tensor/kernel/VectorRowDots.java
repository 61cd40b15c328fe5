package dev.descent.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API twin of {@link RowDots#lanes}: the eight lane chains of each dot product live in one
 * 256-bit vector ({@code acc = a.fma(b, acc)} is a per-lane {@code Math.fma}). The length is cut
 * into blocks small enough that the block of every row of A and B stays in L2 while all pairs use
 * it; partial sums are stored and reloaded between blocks, which is exact, so the chains are
 * unchanged. Rows of B go four at a time so each loaded vector of A feeds four fmas.
 */
final class VectorRowDots {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    /** Floats per row per block: 41 rows (a 32 x 9 problem) x 1024 x 4 bytes = 164 KB. */
    private static final int BLOCK = 1024;

    private VectorRowDots() {}

    static void lanes(int i0, int i1, int n, int full, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float[] partial, int pOff) {
        final int L = RowDots.LANES;
        for (int p0 = 0; p0 < full; p0 += BLOCK) {
            int p1 = Math.min(full, p0 + BLOCK);
            for (int i = i0; i < i1; i++) {
                int ar = aOff + i * lda;
                int j = 0;
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
    }
}
