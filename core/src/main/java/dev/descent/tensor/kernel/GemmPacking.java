package dev.descent.tensor.kernel;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Copies blocks of op(A) and op(B) into the contiguous panel layouts the micro-kernel streams
 * through (Goto &amp; van de Geijn, "Anatomy of high-performance matrix multiplication", ACM TOMS
 * 34(3), 2008, section 4). Packing is where the transpose flags are absorbed, so all four layouts
 * take the fast path: B is always packed; A is packed when transposed (and for a last partial
 * row panel), while a row-major A is read in place by the micro-kernel (see {@link VectorGemm}).
 *
 * <p>Panels are padded with zeros up to a whole micro-tile. The padded rows and columns produce
 * results that are never stored, so the padding cannot change any element of C.
 */
final class GemmPacking {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Gather offsets {0, ldb, 2 ldb, ...} by leading dimension, per thread (few distinct ldb). */
    private static final ThreadLocal<java.util.HashMap<Integer, int[]>> GATHER = ThreadLocal.withInitial(java.util.HashMap::new);

    private GemmPacking() {}

    private static int[] gatherIndex(int ldb) {
        return GATHER.get().computeIfAbsent(ldb, n -> {
            int[] idx = new int[L];
            for (int i = 0; i < L; i++) idx[i] = i * n;
            return idx;
        });
    }

    /**
     * Packs rows [i0, i0+mc) and depths [p0, p0+kc) of op(A) into micro-panels of {@code mr} rows:
     * panel q starts at {@code q*mr*kc} and holds its rows one after another, row r being the kc
     * values op(A)[i0+q*mr+r][p0..p0+kc). That is the layout of a row-major A read in place, with
     * kc as the row stride, so the micro-kernels read both the same way.
     */
    static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc,
                      int mr, float[] dst) {
        for (int ir = 0, d = 0; ir < mc; ir += mr, d += mr * kc) {
            int rows = Math.min(mr, mc - ir);
            if (transA) {
                // A is stored k x m: the mr values for one p are contiguous; deal them to the rows.
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (p0 + p) * lda + i0 + ir;
                    for (int r = 0; r < rows; r++) dst[d + r * kc + p] = a[src + r];
                }
            } else {
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(a, aOff + (i0 + ir + r) * lda + p0, dst, d + r * kc, kc);
                }
            }
            // Padding rows: computed from zeros, never stored.
            Arrays.fill(dst, d + rows * kc, d + mr * kc, 0f);
        }
    }

    /**
     * Packs depths [p0, p0+kc) and columns [j0, j0+nc) of op(B) into micro-panels of {@code nr}
     * columns: panel q holds, for each p in order, the nr values op(B)[p0+p][j0+q*nr+c] for
     * c = 0..nr-1, i.e. the nr/lanes vectors the micro-kernel loads at depth p.
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc,
                      int nr, float[] dst) {
        int d = 0;
        int[] index = transB && ldb > 0 && (long) ldb * (L - 1) <= Integer.MAX_VALUE ? gatherIndex(ldb) : null;
        for (int jr = 0; jr < nc; jr += nr) {
            int cols = Math.min(nr, nc - jr);
            if (transB) {
                // B is stored n x k: each stored row is one column of op(B). Whole groups of L
                // columns are gathered, one vector per depth (L loads ldb apart), and stored as one
                // contiguous run of the panel; element by element, this transpose took a third of
                // a linear layer's forward multiply (784 x 256 weights: 308 vs 229 microseconds).
                int col = 0;
                if (index != null) {
                    for (; col + L <= cols; col += L) {
                        int src = bOff + (j0 + jr + col) * ldb + p0;
                        for (int p = 0; p < kc; p++) {
                            FloatVector.fromArray(S, b, src + p, index, 0).intoArray(dst, d + p * nr + col);
                        }
                    }
                }
                for (; col < cols; col++) {
                    int src = bOff + (j0 + jr + col) * ldb + p0;
                    for (int p = 0; p < kc; p++) dst[d + p * nr + col] = b[src + p];
                }
                for (int pad = cols; pad < nr; pad++) {
                    for (int p = 0; p < kc; p++) dst[d + p * nr + pad] = 0f;
                }
                d += kc * nr;
            } else {
                // B is stored k x n: each depth contributes a contiguous run of nr values.
                for (int p = 0; p < kc; p++, d += nr) {
                    int src = bOff + (p0 + p) * ldb + j0 + jr;
                    System.arraycopy(b, src, dst, d, cols);
                    if (cols < nr) Arrays.fill(dst, d + cols, d + nr, 0f);
                }
            }
        }
    }
}
