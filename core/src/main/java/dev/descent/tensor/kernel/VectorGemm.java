package dev.descent.tensor.kernel;

import java.util.Arrays;

/**
 * Single-precision matrix multiply on the Vector API, bit-identical to {@link ScalarGemm}.
 *
 * <p>Algorithm: the blocking scheme of Goto &amp; van de Geijn, "Anatomy of high-performance
 * matrix multiplication", ACM TOMS 34(3), 2008. The loops, outermost first:
 * <ol>
 *   <li>columns of C in blocks of {@link #NC};</li>
 *   <li>depth in blocks of {@link #KC}: the KC x NC block of op(B) is packed once
 *       ({@link GemmPacking#packB}) and stays in L2 while every row block uses it;</li>
 *   <li>rows of C in blocks of {@link #MC}: a transposed A block is packed
 *       ({@link GemmPacking#packA}); a row-major A is read in place (the micro-kernel only
 *       broadcasts single A values, from MR sequential row streams, so packing it buys nothing);</li>
 *   <li>micro-panels of MR rows of A (one stays in L1) against every NR-column micro-panel of B:
 *       {@link GemmMicroKernel} keeps an MR x NR tile of C in registers over the KC depths
 *       ({@link GemmNarrowKernel}'s 8 x 1-vector tile when C has at most NR/2 columns).</li>
 * </ol>
 *
 * <p>Why the bits match the scalar definition: each element of C is one fused multiply-add chain
 * over p = 0..k-1 in increasing order. Depth blocks are visited in increasing order and each
 * block continues the chain from the value the previous block stored (storing a float and loading
 * it back is exact), so blocking never reassociates anything. Threads split the <em>output</em>
 * only (whole column or row ranges of C; k is never split), so every element is computed by
 * exactly the same operations whatever the thread count.
 *
 * <p>Problems below {@link #SMALL_WORK} multiply-adds skip packing and threads ({@link GemmDirect}).
 * Each thread that calls this keeps its packing buffers (about 0.75 MiB) for reuse.
 */
final class VectorGemm {
    static final int MR = GemmMicroKernel.MR;
    static final int NR = GemmMicroKernel.NR;
    /**
     * Largest depth block (depth is split into equal blocks of at most this). The A micro-panel
     * (MR x KC) stays in L1 while the KC x NC block of B streams from L2. Defaults measured on a
     * Zen 5 core (48 KiB L1D, 1 MiB L2); the descent.gemm.* properties exist for tuning elsewhere.
     */
    static final int KC = Math.max(1, Integer.getInteger("descent.gemm.kc", 256));
    /** Row block: bounds the packed-A buffer; rounded to whole panels of either tile (8 rows). */
    static final int MC = roundUp(Integer.getInteger("descent.gemm.mc", 256), GemmNarrowKernel.MR);
    /** Column block: the packed KC x NC block of B should sit in the per-core L2. */
    static final int NC = roundUp(Integer.getInteger("descent.gemm.nc", 512), NR);
    /**
     * Below this many multiply-adds (m*n*k) the unpacked direct path is cheaper than packing B
     * (measured: packing wins from about 16x16x16 up). With transposed B the direct path is
     * scalar, so it only pays for the very smallest products.
     */
    static final long SMALL_WORK = 4096, SMALL_WORK_TRANS_B = 1024;
    /**
     * Each thread should get at least this many multiply-adds (about 20 us on one core), or
     * waking a pool thread (tens of microseconds on a busy machine) costs more than it saves.
     */
    static final long PARALLEL_GRAIN = 1 << 21;

    /** Per-thread packing buffers, reused across calls: allocating them per call would cost more than small multiplies. */
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private static final class Buffers {
        final float[] a = new float[MC * KC];
        final float[] b = new float[KC * NC];
        /** Scratch for partial tiles of either kernel. */
        final float[] tile = new float[Math.max(MR * NR, GemmNarrowKernel.MR * GemmNarrowKernel.NR)];
    }

    private VectorGemm() {}

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    private static int roundUp(int x, int multiple) {
        return Math.max(multiple, (x + multiple - 1) / multiple * multiple);
    }

    static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float[] c, int cOff, int ldc, boolean accumulate) {
        if (m <= 0 || n <= 0) return;
        if (k <= 0) {
            // The empty chain: C keeps its value when accumulating, else it is zero.
            if (!accumulate) {
                for (int i = 0; i < m; i++) Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            }
            return;
        }
        long work = (long) m * n * k;
        if (work < (transB ? SMALL_WORK_TRANS_B : SMALL_WORK)) {
            GemmDirect.sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        int chunks = (int) Math.min(Parallel.threads(), Math.max(1, work / PARALLEL_GRAIN));
        int nTiles = (n + NR - 1) / NR, mTiles = (m + MR - 1) / MR;
        if (chunks <= 1 || Math.max(nTiles, mTiles) < 2) {
            blocked(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        if (splitColumns(nTiles, mTiles, chunks)) {
            int parts = Math.min(chunks, nTiles);
            Parallel.forChunks(nTiles, parts, (from, to) -> {
                int j0 = from * NR, j1 = Math.min(n, to * NR);
                int bShift = transB ? j0 * ldb : j0;
                blocked(transA, transB, m, j1 - j0, k, a, aOff, lda, b, bOff + bShift, ldb, c, cOff + j0, ldc, accumulate);
            });
        } else {
            int parts = Math.min(chunks, mTiles);
            Parallel.forChunks(mTiles, parts, (from, to) -> {
                int i0 = from * MR, i1 = Math.min(m, to * MR);
                int aShift = transA ? i0 : i0 * lda;
                blocked(transA, transB, i1 - i0, n, k, a, aOff + aShift, lda, b, bOff, ldb, c, cOff + i0 * ldc, ldc, accumulate);
            });
        }
    }

    /**
     * op(B) packed whole: panel q (columns q*nr ..) holds, depth by depth, its nr values
     * (zero-padded), i.e. {@link GemmPacking#packB} over all depths and columns at once. Any depth
     * block [pc, pc+kc) of panel q is then the run starting at (q*k + pc)*nr with the stride nr the
     * micro-kernels read, so {@link #blocked} needs no packing. nr is the narrow tile's for
     * narrow C, as blocked would choose.
     */
    static Gemm.PackedB packWhole(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        int nr = n <= NR / 2 ? GemmNarrowKernel.NR : NR;
        float[] panels = new float[ceilDiv(n, nr) * nr * k];
        GemmPacking.packB(transB, b, bOff, ldb, 0, k, 0, n, nr, panels);
        return new Gemm.PackedB(transB, k, n, b, bOff, ldb, panels, nr);
    }

    /** {@link #sgemm} with op(B) packed by {@link #packWhole}: the same split over threads and the same chains. */
    static void sgemmPacked(boolean transA, int m, float[] a, int aOff, int lda, Gemm.PackedB b,
                            float[] c, int cOff, int ldc, boolean accumulate) {
        int n = b.n, k = b.k, nr = b.nr;
        if (m <= 0) return;
        long work = (long) m * n * k;
        int chunks = (int) Math.min(Parallel.threads(), Math.max(1, work / PARALLEL_GRAIN));
        int nTiles = (n + nr - 1) / nr, mTiles = (m + MR - 1) / MR;
        if (chunks <= 1 || Math.max(nTiles, mTiles) < 2) {
            blockedPacked(transA, m, 0, n, a, aOff, lda, b, c, cOff, ldc, accumulate);
        } else if (splitColumns(nTiles, mTiles, chunks)) {
            Parallel.forChunks(nTiles, Math.min(chunks, nTiles), (from, to) ->
                    blockedPacked(transA, m, from * nr, Math.min(n, to * nr), a, aOff, lda, b, c, cOff, ldc, accumulate));
        } else {
            Parallel.forChunks(mTiles, Math.min(chunks, mTiles), (from, to) -> {
                int i0 = from * MR, i1 = Math.min(m, to * MR);
                int aShift = transA ? i0 : i0 * lda;
                blockedPacked(transA, i1 - i0, 0, n, a, aOff + aShift, lda, b, c, cOff + i0 * ldc, ldc, accumulate);
            });
        }
    }

    /**
     * {@link #blocked} for columns [j0, j1) of C (j0 a multiple of the panel width) against the
     * packed panels: the same loops, depth blocks and kernels, reading B's panels in place.
     */
    private static void blockedPacked(boolean transA, int m, int j0, int j1, float[] a, int aOff, int lda, Gemm.PackedB b,
                                      float[] c, int cOff, int ldc, boolean accumulate) {
        Buffers buf = BUFFERS.get();
        float[] ap = buf.a, bp = b.panels, tile = buf.tile;
        int k = b.k, nr = b.nr;
        boolean narrow = nr != NR;
        int mr = narrow ? GemmNarrowKernel.MR : MR;
        int kStep = ceilDiv(k, ceilDiv(k, KC));
        for (int pc = 0; pc < k; pc += kStep) {
            int kc = Math.min(kStep, k - pc);
            boolean load = accumulate || pc > 0;
            for (int ic = 0; ic < m; ic += MC) {
                int mc = Math.min(MC, m - ic);
                if (transA) GemmPacking.packA(true, a, aOff, lda, ic, mc, pc, kc, mr, ap);
                for (int ir = 0; ir < mc; ir += mr) {
                    int rows = Math.min(mr, mc - ir);
                    float[] as;
                    int ao, ars;
                    if (transA) {
                        as = ap; ao = ir * kc; ars = kc;
                    } else if (rows == mr) {
                        as = a; ao = aOff + (ic + ir) * lda + pc; ars = lda;
                    } else {
                        GemmPacking.packA(false, a, aOff, lda, ic + ir, rows, pc, kc, mr, ap);
                        as = ap; ao = 0; ars = kc;
                    }
                    int cRow = cOff + (ic + ir) * ldc;
                    for (int j = j0; j < j1; j += nr) {
                        int cols = Math.min(nr, j1 - j), bo = (j / nr * k + pc) * nr;
                        if (narrow && rows == mr && cols == nr) {
                            GemmNarrowKernel.full(kc, as, ao, ars, bp, bo, c, cRow + j, ldc, load);
                        } else if (narrow) {
                            GemmNarrowKernel.edge(kc, as, ao, ars, bp, bo, c, cRow + j, ldc, load, rows, cols, tile);
                        } else if (rows == MR && cols == NR) {
                            GemmMicroKernel.full(kc, as, ao, ars, bp, bo, c, cRow + j, ldc, load);
                        } else {
                            GemmMicroKernel.edge(kc, as, ao, ars, bp, bo, c, cRow + j, ldc, load, rows, cols, tile);
                        }
                    }
                }
            }
        }
    }

    /**
     * Splitting columns means every thread reads (transposed: packs) all of A but packs only its
     * share of B; splitting rows means every thread packs all of B. Prefer columns unless they divide among the threads clearly worse than rows
     * (the busiest thread's share of micro-tiles decides).
     */
    static boolean splitColumns(int nTiles, int mTiles, int chunks) {
        double nLoad = Math.ceil((double) nTiles / chunks) / nTiles;
        double mLoad = Math.ceil((double) mTiles / chunks) / mTiles;
        return nLoad <= mLoad * 1.05;
    }

    /** One thread's share: the whole blocked algorithm on an m x n sub-matrix of C. */
    static void blocked(boolean transA, boolean transB, int m, int n, int k,
                        float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                        float[] c, int cOff, int ldc, boolean accumulate) {
        Buffers buf = BUFFERS.get();
        float[] ap = buf.a, bp = buf.b, tile = buf.tile;
        // Narrow C gets the 8-row x 1-vector tile: the wide tile would pad it to 4 vectors.
        boolean narrow = n <= NR / 2;
        int mr = narrow ? GemmNarrowKernel.MR : MR, nr = narrow ? GemmNarrowKernel.NR : NR;
        // Equal depth blocks (784 = 4 x 196 rather than 3 x 256 + 16): a short last block would
        // pay the tile's C load and store for only a few multiply-adds.
        int kStep = ceilDiv(k, ceilDiv(k, KC));
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += kStep) {
                int kc = Math.min(kStep, k - pc);
                // Later depth blocks continue the chain from what the previous block stored.
                boolean load = accumulate || pc > 0;
                GemmPacking.packB(transB, b, bOff, ldb, pc, kc, jc, nc, nr, bp);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    // Transposed A is packed: read in place, one micro-panel would touch kc cache
                    // lines lda apart, which for power-of-two lda all fall in one L1 set.
                    if (transA) GemmPacking.packA(true, a, aOff, lda, ic, mc, pc, kc, mr, ap);
                    for (int ir = 0; ir < mc; ir += mr) {
                        int rows = Math.min(mr, mc - ir);
                        // Where the micro-kernel finds A(r, p): a[ao + r*ars + p].
                        float[] as;
                        int ao, ars;
                        if (transA) {
                            as = ap; ao = ir * kc; ars = kc;
                        } else if (rows == mr) {
                            // Row-major A is read in place: MR sequential row streams need no
                            // packing, which saves a copy of A per column block (and per thread).
                            as = a; ao = aOff + (ic + ir) * lda + pc; ars = lda;
                        } else {
                            // The last, partial rows get zero-padded to a whole micro-panel.
                            GemmPacking.packA(false, a, aOff, lda, ic + ir, rows, pc, kc, mr, ap);
                            as = ap; ao = 0; ars = kc;
                        }
                        int cRow = cOff + (ic + ir) * ldc + jc;
                        for (int jr = 0; jr < nc; jr += nr) {
                            int cols = Math.min(nr, nc - jr);
                            if (narrow && rows == mr && cols == nr) {
                                GemmNarrowKernel.full(kc, as, ao, ars, bp, jr * kc, c, cRow + jr, ldc, load);
                            } else if (narrow) {
                                GemmNarrowKernel.edge(kc, as, ao, ars, bp, jr * kc, c, cRow + jr, ldc, load, rows, cols, tile);
                            } else if (rows == MR && cols == NR) {
                                GemmMicroKernel.full(kc, as, ao, ars, bp, jr * kc, c, cRow + jr, ldc, load);
                            } else {
                                GemmMicroKernel.edge(kc, as, ao, ars, bp, jr * kc, c, cRow + jr, ldc, load, rows, cols, tile);
                            }
                        }
                    }
                }
            }
        }
    }
}
