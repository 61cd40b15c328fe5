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
 * <h2>Float32: im2col + one matrix multiply per group for the whole batch</h2>
 * With K = C/groups * kH * kW and P = OH * OW, every image is unfolded by {@link Im2Col} into a
 * K x P block of one wide column matrix {@code cols_g} of shape [K, N*P] (image n at columns
 * n*P..), and for each group g
 * <pre>
 *   forward:  Y_g  = W_g cols_g                 [O/g, N*P] = [O/g, K] [K, N*P]
 *   dW:       dW_g^T = cols_g dY_g^T            [K, O/g]   = [K, N*P] [N*P, O/g]
 *             (or by {@link RowDots} when O/g or K is small)
 *   dX:       dcols_g = W_g^T dY_g, then col2im [K, N*P]   = [K, O/g] [O/g, N*P]
 *   db:       db[o] = sum over n, p of dY[n][o][p]
 * </pre>
 * where Y_g / dY_g are the output (gradient) rearranged from [N, O, P] to [O, N*P] by a copy.
 * Batching all images into one multiply gives {@link Gemm} large, well-shaped problems, which it
 * blocks and splits over threads itself; transposes are expressed through its flags. The column
 * matrices and layout copies live in per-thread {@link Scratch} buffers reused across calls; the
 * backward pass unfolds the input again rather than keeping the forward's columns alive.
 *
 * <h2>Determinism</h2>
 * Every step splits work by output only: im2col by column-matrix rows, col2im by input channels,
 * the layout copies by images, each value written by one thread in a fixed order; Gemm splits only its
 * output and computes each element as one fma chain over its depth in increasing order. The
 * weight gradient's sum over the batch is that depth (n*P + p), so it is accumulated image by
 * image, position by position, in the same order for any thread count ({@link RowDots} likewise
 * fixes its eight interleaved chains and their combination, and splits output rows only); the
 * bias gradient is a fixed-order sum per channel. Results are therefore bit-identical for any thread count and in
 * vector or scalar kernel mode.
 *
 * <h2>Float64</h2>
 * {@link DirectConvolution}: the definition as plain loops, for gradient checks.
 */
final class Convolution {
    // Scratch slots owned by this class (contents never outlive one call).
    private static final int SLOT_COLS = 0, SLOT_Y = 1, SLOT_DCOLS = 2;
    /** Elements an image must have for a parallel image loop to pay for a fork. */
    private static final int GRAIN_ELEMENTS = 1 << 14;
    /**
     * The weight gradient goes to {@link RowDots} when output channels per group or K fall below
     * this (measured on 2 threads, AVX-512: 32 x 9 over depth 86,528 takes 1.8 ms there vs 9 ms in
     * Gemm; 64 x 288 over 15,488 takes 8 ms in Gemm vs 34 ms in RowDots).
     */
    private static final int ROW_DOTS_BELOW = 64;

    private Convolution() {}

    static Tensor conv2d(Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, int[] dilation, int groups) {
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
        float[] cols = Scratch.floats(SLOT_COLS, s.groups() * s.k() * s.n() * s.p());
        unfold(s, xc, cols);
        Tensor out = Tensor.allocate(DType.F32, s.outShape());
        float[] y = Scratch.floats(SLOT_Y, s.o() * s.n() * s.p());
        int np = s.n() * s.p(), og = s.og(), k = s.k();
        for (int g = 0; g < s.groups(); g++) {
            Gemm.sgemm(false, false, og, np, k, wc.f, wc.offset + g * og * k, k, cols, g * k * np, np, y, g * og * np, np, false);
        }
        toBatchMajor(s, y, bc, out.f);
        return Ops.record(out, "conv2d", g -> backward32(s, x, xc, w, wc, b, g), x, w, b);
    }

    private static Tensor[] backward32(ConvGeometry s, Tensor x, Tensor xc, Tensor w, Tensor wc, Tensor b, Tensor g) {
        Tensor gc = g.isContiguous() ? g : g.contiguousCopy();
        int np = s.n() * s.p(), og = s.og(), k = s.k();
        float[] dy = Scratch.floats(SLOT_Y, s.o() * np);
        toChannelMajor(s, gc, dy);
        Tensor gb = null;
        if (b != null && b.requiresGrad()) {
            gb = Tensor.allocate(DType.F32, new int[] {s.o()});
            for (int o = 0; o < s.o(); o++) gb.f[o] = (float) Kernels.sum(dy, o * np, np);
        }
        Tensor gw = null;
        if (w.requiresGrad()) {
            // Unfolding again costs less than keeping the column matrix from the forward pass: that
            // would allocate (and zero) K*N*P floats per call, 18 MB for a 32->64 3x3 conv on
            // 128 images of 13x13, and the garbage collector's pauses would cost more still.
            float[] cols = Scratch.floats(SLOT_COLS, s.groups() * k * np);
            unfold(s, xc, cols);
            gw = Tensor.allocate(DType.F32, w.shape);
            float[] dwt = null;
            for (int gi = 0; gi < s.groups(); gi++) {
                if (og < ROW_DOTS_BELOW || k < ROW_DOTS_BELOW) {
                    // Few outputs over a long depth (a first layer: 32 x 9 over 86,528 positions):
                    // every Gemm register tile would be a ragged edge; RowDots is 5x faster there.
                    RowDots.rowDots(og, k, np, dy, gi * og * np, np, cols, gi * k * np, np, gw.f, gi * og * k, k);
                    continue;
                }
                // dW_g^T = cols_g dY_g^T ([K, O/g]) rather than dW_g = dY_g cols_g^T: the same fma
                // chain per element, but Gemm runs this orientation 4x faster for conv shapes.
                if (dwt == null) dwt = new float[k * og];
                Gemm.sgemm(false, true, k, og, np, cols, gi * k * np, np, dy, gi * og * np, np, dwt, 0, og, false);
                for (int o = 0; o < og; o++) {
                    for (int kk = 0; kk < k; kk++) gw.f[(gi * og + o) * k + kk] = dwt[kk * og + o];
                }
            }
        }
        Tensor gx = null;
        if (x.requiresGrad()) {
            float[] dcols = Scratch.floats(SLOT_DCOLS, s.groups() * k * np);
            for (int gi = 0; gi < s.groups(); gi++) {
                Gemm.sgemm(true, false, k, np, og, wc.f, wc.offset + gi * og * k, k, dy, gi * og * np, np, dcols, gi * k * np, np, false);
            }
            gx = Tensor.allocate(DType.F32, x.shape);
            fold(s, dcols, gx.f);
        }
        return new Tensor[] {gx, gw, gb};
    }

    /** Minimum number of loop iterations per thread when each iteration touches {@code perItem} elements. */
    private static int grain(int perItem) {
        return Math.max(1, GRAIN_ELEMENTS / Math.max(1, perItem));
    }

    /**
     * im2col of every image and group into cols laid out [groups][K][N*P]. Threads split the
     * C*kH*kW rows: each row is one long contiguous write, and a thread reads the same input
     * channel for up to kH*kW consecutive rows while it is still in cache.
     */
    private static void unfold(ConvGeometry s, Tensor xc, float[] cols) {
        int np = s.n() * s.p(), k = s.k(), cg = s.cg(), plane = s.h() * s.w(), kk = s.kH() * s.kW();
        Im2Col.Window win = s.window();
        Parallel.forRange(s.c() * kk, grain(np), (from, to) -> {
            for (int r = from; r < to; r++) {
                int c = r / kk, q = r % kk, g = c / cg;
                Im2Col.unfoldRow(xc.f, xc.offset + c * plane, s.c() * plane, s.n(), win, q / s.kW(), q % s.kW(),
                        cols, g * k * np + ((c % cg) * kk + q) * np);
            }
        });
    }

    /**
     * col2im of dcols [groups][K][N*P] into the zeroed input gradient. Threads split the input
     * channels: only the kH*kW rows of channel c add into channel c, so each element of gx is
     * written by one thread, in (kh, kw) order.
     */
    private static void fold(ConvGeometry s, float[] dcols, float[] gx) {
        int np = s.n() * s.p(), k = s.k(), cg = s.cg(), plane = s.h() * s.w(), kk = s.kH() * s.kW();
        Im2Col.Window win = s.window();
        Parallel.forRange(s.c(), grain(kk * np), (from, to) -> {
            for (int c = from; c < to; c++) {
                int g = c / cg;
                Im2Col.foldChannel(dcols, g * k * np + (c % cg) * kk * np, np, s.n(), win, gx, c * plane, s.c() * plane);
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
