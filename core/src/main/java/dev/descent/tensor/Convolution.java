package dev.descent.tensor;

import dev.descent.tensor.kernel.Gemm;
import dev.descent.tensor.kernel.Im2Col;
import dev.descent.tensor.kernel.Kernels;
import dev.descent.tensor.kernel.Parallel;
import dev.descent.tensor.kernel.RowDots;
import dev.descent.tensor.kernel.Scratch;

/**
 * 2-D convolution (cross-correlation, as torch.nn.functional.conv2d) over NCHW input with
 * stride, zero padding, dilation and groups; output size per {@link ConvGeometry}.
 *
 * <h2>Float32: im2col + one matrix multiply per group and batch block</h2>
 * With K = C/groups * kH * kW and P = OH * OW, the images of a batch block are unfolded by
 * {@link Im2Col} into one wide column matrix {@code cols_g} of shape [K, B*P] (image n at columns
 * n*P..), and for each group g
 * <pre>
 *   forward:  Y_g  = W_g cols_g                 [O/g, N*P] = [O/g, K] [K, N*P]
 *   dW:       dW_g^T = cols_g dY_g^T            [K, O/g]   = [K, N*P] [N*P, O/g]
 *             (or by {@link RowDots} when O/g or K is small)
 *   dX:       dcols_g = W_g^T dY_g, then col2im [K, N*P]   = [K, O/g] [O/g, N*P]
 *   db:       db[o] = sum over n, p of dY[n][o][p]
 * </pre>
 * where Y_g / dY_g are the output (gradient) rearranged from [N, O, P] to [O, N*P] by a copy,
 * and each product runs block by block over B*P of the N*P columns. Batching images into one
 * multiply gives {@link Gemm} large, well-shaped problems, which it blocks and splits over threads
 * itself; transposes are expressed through its flags. Blocks of B images keep the column matrix
 * within {@link #BLOCK_FLOATS} whatever the batch size (memory stays bounded, and a block's
 * columns are still in cache when the multiply reads them); B depends on the geometry only,
 * never on the thread count. The column matrices and layout copies live in per-thread
 * {@link Scratch} buffers reused across calls; the backward pass unfolds the input again rather
 * than keeping the forward's columns alive.
 *
 * <h2>Determinism</h2>
 * Every step splits work by output only: im2col by column-matrix rows, col2im by input channels,
 * the layout copies by images, each value written by one thread in a fixed order; Gemm splits
 * only its output and computes each element as one fma chain over its depth in increasing order. The
 * weight gradient's sum over the batch is that depth (n*P + p), continued across batch blocks
 * (Gemm's accumulate), so it is accumulated image by image, position by position, in the same
 * order for any thread count ({@link RowDots} likewise fixes its eight interleaved chains per
 * block and their final combination, and splits output rows only); the bias gradient is a
 * fixed-order sum per channel. Results are therefore bit-identical for any thread count and in
 * vector or scalar kernel mode.
 *
 * <h2>Float64</h2>
 * {@link DirectConvolution}: the definition as plain loops, for gradient checks.
 */
final class Convolution {
    // Scratch slots owned by this class (contents never outlive one call).
    private static final int SLOT_COLS = 0, SLOT_Y = 1, SLOT_DCOLS = 2;
    /** Minimum elements a thread's share of a loop must touch for a fork to pay. */
    private static final int GRAIN_ELEMENTS = 1 << 14;
    /**
     * The weight gradient goes to {@link RowDots} when output channels per group or K fall below
     * this (measured on 2 threads, AVX-512: 32 x 9 over depth 86,528 takes 1.8 ms there vs 9 ms in
     * Gemm; 64 x 288 over 15,488 takes 8 ms in Gemm vs 34 ms in RowDots).
     */
    private static final int ROW_DOTS_BELOW = 64;
    /** Largest column matrix (floats, all groups) of one batch block: 4 Mi floats, 16 MB. */
    static final int BLOCK_FLOATS = 1 << 22;

    private Convolution() {}

    static Tensor conv2d(Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, int[] dilation, int groups) {
        return conv2d(x, w, b, stride, padding, dilation, groups, BLOCK_FLOATS);
    }

    /** As above with a chosen block bound; tests pass a small one to exercise several blocks. */
    static Tensor conv2d(Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, int[] dilation, int groups, int blockFloats) {
        ConvGeometry s = ConvGeometry.conv2d(x, w, b, stride, padding, dilation, groups);
        Tensor xc = x.isContiguous() ? x : x.contiguousCopy();
        Tensor wc = w.isContiguous() ? w : w.contiguousCopy();
        Tensor bc = b == null || b.isContiguous() ? b : b.contiguousCopy();
        if (x.dtype == DType.F64) {
            Tensor out = DirectConvolution.forward(s, xc, wc, bc);
            return Ops.record(out, "conv2d", g -> {
                Tensor gc = g.isContiguous() ? g : g.contiguousCopy();
                return DirectConvolution.backward(s, xc, wc, gc, x.requiresGrad(), w.requiresGrad(), b != null && b.requiresGrad());
            }, x, w, b);
        }
        int nb = blockImages(s, blockFloats);
        int np = s.n() * s.p(), og = s.og(), k = s.k();
        float[] cols = Scratch.floats(SLOT_COLS, s.groups() * k * nb * s.p());
        float[] y = Scratch.floats(SLOT_Y, s.o() * np);
        for (int n0 = 0; n0 < s.n(); n0 += nb) {
            int bp = Math.min(nb, s.n() - n0) * s.p();
            unfold(s, xc, n0, bp / s.p(), cols);
            for (int g = 0; g < s.groups(); g++) {
                Gemm.sgemm(false, false, og, bp, k, wc.f, wc.offset + g * og * k, k, cols, g * k * bp, bp,
                        y, g * og * np + n0 * s.p(), np, false);
            }
        }
        Tensor out = Tensor.allocate(DType.F32, s.outShape());
        toBatchMajor(s, y, bc, out.f);
        return Ops.record(out, "conv2d", g -> backward32(s, nb, x, xc, w, wc, b, g), x, w, b);
    }

    /**
     * Images per batch block: the batch cut into equal blocks whose column matrix (groups * K * P
     * floats per image) stays within the bound, or single images when one alone exceeds it.
     */
    static int blockImages(ConvGeometry s, int blockFloats) {
        long perImage = (long) s.groups() * s.k() * s.p();
        if (perImage > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("conv2d: the column matrix of one image (C * kH * kW * OH * OW = " + perImage
                    + " floats) exceeds a Java array; use a smaller image or kernel");
        }
        long blocks = Math.max(1, (s.n() * perImage + blockFloats - 1) / blockFloats);
        return (int) Math.max(1, (s.n() + blocks - 1) / blocks);
    }

    private static Tensor[] backward32(ConvGeometry s, int nb, Tensor x, Tensor xc, Tensor w, Tensor wc, Tensor b, Tensor g) {
        Tensor gc = g.isContiguous() ? g : g.contiguousCopy();
        int np = s.n() * s.p(), og = s.og(), k = s.k(), groups = s.groups();
        float[] dy = Scratch.floats(SLOT_Y, s.o() * np);
        toChannelMajor(s, gc, dy);
        Tensor gb = null;
        if (b != null && b.requiresGrad()) {
            gb = Tensor.allocate(DType.F32, new int[] {s.o()});
            for (int o = 0; o < s.o(); o++) gb.f[o] = (float) Kernels.sum(dy, o * np, np);
        }
        boolean wantW = w.requiresGrad(), wantX = x.requiresGrad();
        // Few outputs over a long depth (a first layer: 32 x 9 over 86,528 positions) make every
        // Gemm register tile a ragged edge; RowDots is 5x faster there.
        boolean rowDots = og < ROW_DOTS_BELOW || k < ROW_DOTS_BELOW;
        // Weight-gradient state carried across batch blocks: RowDots lane sums, or dW^T for Gemm.
        float[] dwState = wantW ? new float[groups * og * k * (rowDots ? RowDots.LANES : 1)] : null;
        float[] cols = wantW ? Scratch.floats(SLOT_COLS, groups * k * nb * s.p()) : null;
        float[] dcols = wantX ? Scratch.floats(SLOT_DCOLS, groups * k * nb * s.p()) : null;
        Tensor gx = wantX ? Tensor.allocate(DType.F32, x.shape) : null;
        for (int n0 = 0; n0 < s.n() && (wantW || wantX); n0 += nb) {
            int bn = Math.min(nb, s.n() - n0), bp = bn * s.p();
            if (wantW) {
                // Unfolding again costs less than keeping the forward's columns alive until now.
                unfold(s, xc, n0, bn, cols);
                for (int gi = 0; gi < groups; gi++) {
                    int dyOff = gi * og * np + n0 * s.p();
                    if (rowDots) {
                        RowDots.accumulate(og, k, bp, dy, dyOff, np, cols, gi * k * bp, bp, dwState, gi * og * k * RowDots.LANES);
                    } else {
                        // dW_g^T = cols_g dY_g^T rather than dW_g = dY_g cols_g^T: the same fma chain per
                        // element, but Gemm runs this orientation 4x faster for conv shapes.
                        Gemm.sgemm(false, true, k, og, bp, cols, gi * k * bp, bp, dy, dyOff, np, dwState, gi * k * og, og, n0 > 0);
                    }
                }
            }
            if (wantX) {
                for (int gi = 0; gi < groups; gi++) {
                    Gemm.sgemm(true, false, k, bp, og, wc.f, wc.offset + gi * og * k, k, dy, gi * og * np + n0 * s.p(), np,
                            dcols, gi * k * bp, bp, false);
                }
                fold(s, dcols, n0, bn, gx.f);
            }
        }
        Tensor gw = null;
        if (wantW) {
            gw = Tensor.allocate(DType.F32, w.shape);
            for (int gi = 0; gi < groups; gi++) {
                if (rowDots) {
                    RowDots.combine(og, k, dwState, gi * og * k * RowDots.LANES, gw.f, gi * og * k, k);
                } else {
                    for (int o = 0; o < og; o++) {
                        for (int kk = 0; kk < k; kk++) gw.f[(gi * og + o) * k + kk] = dwState[gi * k * og + kk * og + o];
                    }
                }
            }
        }
        return new Tensor[] {gx, gw, gb};
    }

    /** Minimum number of loop iterations per thread when each iteration touches {@code perItem} elements. */
    private static int grain(int perItem) {
        return Math.max(1, GRAIN_ELEMENTS / Math.max(1, perItem));
    }

    /**
     * im2col of images n0..n0+bn-1 into cols laid out [groups][K][bn*P]. Threads split the
     * C*kH*kW rows: each row is one long contiguous write, and a thread reads the same input
     * channel for up to kH*kW consecutive rows while it is still in cache.
     */
    private static void unfold(ConvGeometry s, Tensor xc, int n0, int bn, float[] cols) {
        int bp = bn * s.p(), k = s.k(), cg = s.cg(), plane = s.h() * s.w(), kk = s.kH() * s.kW();
        int image = s.c() * plane;
        Im2Col.Window win = s.window();
        Parallel.forRange(s.c() * kk, grain(bp), (from, to) -> {
            for (int r = from; r < to; r++) {
                int c = r / kk, q = r % kk, g = c / cg;
                Im2Col.unfoldRow(xc.f, xc.offset + n0 * image + c * plane, image, bn, win, q / s.kW(), q % s.kW(),
                        cols, g * k * bp + ((c % cg) * kk + q) * bp);
            }
        });
    }

    /**
     * col2im of dcols [groups][K][bn*P] into images n0..n0+bn-1 of the zeroed input gradient.
     * Threads split the input channels: only the kH*kW rows of channel c add into channel c, so
     * each element of gx is written by one thread, in (kh, kw) order.
     */
    private static void fold(ConvGeometry s, float[] dcols, int n0, int bn, float[] gx) {
        int bp = bn * s.p(), k = s.k(), cg = s.cg(), plane = s.h() * s.w(), kk = s.kH() * s.kW();
        int image = s.c() * plane;
        Im2Col.Window win = s.window();
        Parallel.forRange(s.c(), grain(kk * bp), (from, to) -> {
            for (int c = from; c < to; c++) {
                int g = c / cg;
                Im2Col.foldChannel(dcols, g * k * bp + (c % cg) * kk * bp, bp, bn, win, gx, n0 * image + c * plane, image);
            }
        });
    }

    /** out[n][o][p] = y[o][n*P + p] + bias[o]. */
    private static void toBatchMajor(ConvGeometry s, float[] y, Tensor bias, float[] out) {
        int p = s.p(), np = s.n() * p, o = s.o();
        Parallel.forRange(s.n(), grain(o * p), (from, to) -> {
            for (int n = from; n < to; n++) {
                for (int c = 0; c < o; c++) {
                    int src = c * np + n * p, dst = (n * o + c) * p;
                    if (bias == null) {
                        System.arraycopy(y, src, out, dst, p);
                    } else {
                        float bv = bias.f[bias.offset + c];
                        for (int i = 0; i < p; i++) out[dst + i] = y[src + i] + bv;
                    }
                }
            }
        });
    }

    /** dy[o][n*P + p] = g[n][o][p]. */
    private static void toChannelMajor(ConvGeometry s, Tensor g, float[] dy) {
        int p = s.p(), np = s.n() * p, o = s.o();
        Parallel.forRange(s.n(), grain(o * p), (from, to) -> {
            for (int n = from; n < to; n++) {
                for (int c = 0; c < o; c++) System.arraycopy(g.f, g.offset + (n * o + c) * p, dy, c * np + n * p, p);
            }
        });
    }
}
