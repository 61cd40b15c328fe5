package dev.descent.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked inner kernel of {@link VectorGemm}: updates an {@link #MR} x {@link #NR}
 * tile of C from one A micro-panel (MR rows, packed or read in place) and one packed B
 * micro-panel (Goto &amp; van de Geijn 2008, "GEBP"). The tile lives in 16 vector registers (4 rows x 4 vectors); each depth step
 * loads 4 vectors of B, broadcasts 4 values of A and issues 16 independent fused multiply-adds,
 * enough independent chains to hide the FMA latency.
 *
 * <p>Lane {@code l} of accumulator {@code (r, v)} is exactly the scalar chain
 * {@code acc = fma(a[r][p], b[p][v*L+l], acc)} for p in increasing order, so the tile equals
 * {@link ScalarGemm}'s bits. Loading C back in (instead of starting from zero) continues the same
 * chain across depth blocks.
 */
final class GemmMicroKernel {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Rows of the register tile. */
    static final int MR = 4;
    /** Columns of the register tile: four vectors. */
    static final int NR = 4 * L;

    private GemmMicroKernel() {}

    /**
     * C[0..MR, 0..NR) at {@code c[co + r*ldc + j]} gets the chain over {@code kc} depths of A and
     * the packed B micro-panel {@code bp[bo..]} (kc x NR), continuing from the tile's current
     * values when {@code load}, else from zero. A's element (r, p) is read at
     * {@code a[ao + r*ars + p]}: MR rows, each contiguous in p, either a packed panel
     * ({@code ars = kc}) or a row-major A read in place ({@code ars = lda}). Contiguous rows with
     * loop-invariant starts let the JIT drop the bounds checks; a general p-stride measured 10-15%
     * slower. Needs a full tile in bounds.
     */
    static void full(int kc, float[] a, int ao, int ars, float[] bp, int bo, float[] c, int co, int ldc, boolean load) {
        FloatVector c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33;
        int r1 = co + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
        if (load) {
            c00 = FloatVector.fromArray(S, c, co);
            c01 = FloatVector.fromArray(S, c, co + L);
            c02 = FloatVector.fromArray(S, c, co + 2 * L);
            c03 = FloatVector.fromArray(S, c, co + 3 * L);
            c10 = FloatVector.fromArray(S, c, r1);
            c11 = FloatVector.fromArray(S, c, r1 + L);
            c12 = FloatVector.fromArray(S, c, r1 + 2 * L);
            c13 = FloatVector.fromArray(S, c, r1 + 3 * L);
            c20 = FloatVector.fromArray(S, c, r2);
            c21 = FloatVector.fromArray(S, c, r2 + L);
            c22 = FloatVector.fromArray(S, c, r2 + 2 * L);
            c23 = FloatVector.fromArray(S, c, r2 + 3 * L);
            c30 = FloatVector.fromArray(S, c, r3);
            c31 = FloatVector.fromArray(S, c, r3 + L);
            c32 = FloatVector.fromArray(S, c, r3 + 2 * L);
            c33 = FloatVector.fromArray(S, c, r3 + 3 * L);
        } else {
            FloatVector z = FloatVector.zero(S);
            c00 = z; c01 = z; c02 = z; c03 = z;
            c10 = z; c11 = z; c12 = z; c13 = z;
            c20 = z; c21 = z; c22 = z; c23 = z;
            c30 = z; c31 = z; c32 = z; c33 = z;
        }
        int a0 = ao, a1 = a0 + ars, a2 = a1 + ars, a3 = a2 + ars;
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bi + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, bp, bi + 3 * L);
            FloatVector av = FloatVector.broadcast(S, a[a0 + p]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            c02 = av.fma(b2, c02);
            c03 = av.fma(b3, c03);
            av = FloatVector.broadcast(S, a[a1 + p]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            c12 = av.fma(b2, c12);
            c13 = av.fma(b3, c13);
            av = FloatVector.broadcast(S, a[a2 + p]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            c22 = av.fma(b2, c22);
            c23 = av.fma(b3, c23);
            av = FloatVector.broadcast(S, a[a3 + p]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            c32 = av.fma(b2, c32);
            c33 = av.fma(b3, c33);
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + L);
        c02.intoArray(c, co + 2 * L);
        c03.intoArray(c, co + 3 * L);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + L);
        c12.intoArray(c, r1 + 2 * L);
        c13.intoArray(c, r1 + 3 * L);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + L);
        c22.intoArray(c, r2 + 2 * L);
        c23.intoArray(c, r2 + 3 * L);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + L);
        c32.intoArray(c, r3 + 2 * L);
        c33.intoArray(c, r3 + 3 * L);
    }

    /**
     * A partial tile of {@code rows} x {@code cols} (at most MR x NR) at the bottom or right edge
     * of C (A as in {@link #full}, padded to MR rows): runs the full kernel on a scratch tile and copies the valid part back. The valid
     * elements go through the very same chain; the padded ones come from zero padding and are
     * discarded.
     */
    static void edge(int kc, float[] a, int ao, int ars, float[] bp, int bo, float[] c, int co, int ldc,
                     boolean load, int rows, int cols, float[] scratch) {
        if (load) {
            for (int r = 0; r < rows; r++) System.arraycopy(c, co + r * ldc, scratch, r * NR, cols);
        }
        full(kc, a, ao, ars, bp, bo, scratch, 0, NR, load);
        for (int r = 0; r < rows; r++) System.arraycopy(scratch, r * NR, c, co + r * ldc, cols);
    }
}
