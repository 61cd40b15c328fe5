package dev.descent.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The inner kernel of {@link VectorGemm} for narrow C (at most half of
 * {@link GemmMicroKernel#NR} columns, e.g. a classifier's 10 outputs): an {@link #MR} x 1-vector
 * tile. The wide 4 x 4-vector tile would pad such a C to 4 vectors and waste most of its
 * multiply-adds; this tile keeps 8 independent chains (one per row) instead, which still hides
 * the FMA latency.
 *
 * <p>Lane {@code l} of accumulator {@code r} is exactly the scalar chain
 * {@code acc = fma(a[r][p], b[p][l], acc)} for p in increasing order, as in
 * {@link GemmMicroKernel}.
 *
 * <p>No masked vector operations on purpose: partial tiles go through a scratch tile as in
 * {@link GemmMicroKernel#edge}. A version with masked loads and stores was big enough that C1
 * failed to compile it ("out of virtual registers"), which left it running without Vector API
 * intrinsics at about 1 GFLOP/s.
 */
final class GemmNarrowKernel {
    private static final VectorSpecies<Float> S = GemmMicroKernel.S;
    /** Rows of the tile. */
    static final int MR = 8;
    /** Columns of the tile: one vector. */
    static final int NR = GemmMicroKernel.L;

    private GemmNarrowKernel() {}

    /**
     * Full MR x NR tile at {@code c[co + r*ldc + j]} from A (element (r, p) at
     * {@code a[ao + r*ars + p]}, as in {@link GemmMicroKernel#full}) and the packed B micro-panel {@code bp[bo..]} (kc x NR);
     * continues from C when {@code load}, else from zero.
     */
    static void full(int kc, float[] a, int ao, int ars, float[] bp, int bo, float[] c, int co, int ldc, boolean load) {
        FloatVector c0, c1, c2, c3, c4, c5, c6, c7;
        if (load) {
            c0 = FloatVector.fromArray(S, c, co);
            c1 = FloatVector.fromArray(S, c, co + ldc);
            c2 = FloatVector.fromArray(S, c, co + 2 * ldc);
            c3 = FloatVector.fromArray(S, c, co + 3 * ldc);
            c4 = FloatVector.fromArray(S, c, co + 4 * ldc);
            c5 = FloatVector.fromArray(S, c, co + 5 * ldc);
            c6 = FloatVector.fromArray(S, c, co + 6 * ldc);
            c7 = FloatVector.fromArray(S, c, co + 7 * ldc);
        } else {
            FloatVector z = FloatVector.zero(S);
            c0 = z; c1 = z; c2 = z; c3 = z; c4 = z; c5 = z; c6 = z; c7 = z;
        }
        int a0 = ao, a1 = a0 + ars, a2 = a1 + ars, a3 = a2 + ars, a4 = a3 + ars, a5 = a4 + ars, a6 = a5 + ars, a7 = a6 + ars;
        for (int p = 0; p < kc; p++) {
            FloatVector b = FloatVector.fromArray(S, bp, bo + p * NR);
            c0 = FloatVector.broadcast(S, a[a0 + p]).fma(b, c0);
            c1 = FloatVector.broadcast(S, a[a1 + p]).fma(b, c1);
            c2 = FloatVector.broadcast(S, a[a2 + p]).fma(b, c2);
            c3 = FloatVector.broadcast(S, a[a3 + p]).fma(b, c3);
            c4 = FloatVector.broadcast(S, a[a4 + p]).fma(b, c4);
            c5 = FloatVector.broadcast(S, a[a5 + p]).fma(b, c5);
            c6 = FloatVector.broadcast(S, a[a6 + p]).fma(b, c6);
            c7 = FloatVector.broadcast(S, a[a7 + p]).fma(b, c7);
        }
        c0.intoArray(c, co);
        c1.intoArray(c, co + ldc);
        c2.intoArray(c, co + 2 * ldc);
        c3.intoArray(c, co + 3 * ldc);
        c4.intoArray(c, co + 4 * ldc);
        c5.intoArray(c, co + 5 * ldc);
        c6.intoArray(c, co + 6 * ldc);
        c7.intoArray(c, co + 7 * ldc);
    }

    /**
     * A partial tile of {@code rows} x {@code cols} (at most MR x NR; A padded to MR rows): the
     * full kernel on a scratch tile of at least MR*NR floats, valid part copied in and out.
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
