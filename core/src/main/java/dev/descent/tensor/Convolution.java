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
 * <h2>Float32: im2col + matrix multiplies, one image at a time</h2>
 * With K = C/groups * kH * kW and P = OH * OW, each image n is unfolded by {@link Im2Col} into a
 * column matrix {@code cols_g} of shape [K, P] per group, and
 * <pre>
 *   forward:  Y_ng = W_g cols_g + b              [O/g, P] = [O/g, K] [K, P]
 *   dX:       dcols_g = W_g^T dY_ng, then col2im [K, P]   = [K, O/g] [O/g, P]
 *   dW:       dW_g^T = sum over n of cols_g dY_ng^T   [K, O/g] (or by {@link RowDots} when O/g or K is small)
 *   db:       db[o] = sum over n, p of dY[n][o][p]
 * </pre>
 * Y_ng and dY_ng are image n's rows of the NCHW output (gradient) as they lie in memory, [O/g, P]
 * with leading dimension P, so the products read and write the tensors directly: no layout copies.
 * A whole image's work (unfold, products, col2im) runs on one thread while its column matrix
 * (K * P floats, 139 KB for 32 channels of 11 x 11 under a 3x3 kernel) is still in cache; threads
 * take whole images. The column matrices live in per-thread {@link Scratch} buffers; the backward
 * pass unfolds the input again rather than keeping the forward's columns alive.
 *
 * <h2>Fused with ReLU and 2 x 2 max pooling</h2>
 * {@link #conv2dReluMaxPool} runs the same per-image loop and pools each image's output while it
 * is in cache ({@link ConvReluMaxPool}); its backward pass makes each image's output gradient
 * from the pooling's gradient in scratch and goes on exactly as here. Same kernels on the same
 * values, so the same bits as the three operations in sequence.
 *
 * <h2>Determinism</h2>
 * Every output element is computed by one thread in a fixed order: an image's outputs and input
 * gradient depend on that image only, {@link Gemm} computes each element as one fma chain over its
 * depth in increasing order whatever its blocking, and col2im adds in (kh, kw) order. The weight
 * gradient sums over the batch: the batch is cut into chunks of a fixed number of images
 * ({@link #chunkImages}, which depends on the batch size only, never on the thread count), each
 * chunk's partial sum is one chain over its images in order (Gemm's accumulate, or RowDots' lanes
 * continued image by image), and the partials are added in chunk order. The bias gradient is,
 * per channel, the double sum over images in order of each image's plane sum. Results are
 * therefore bit-identical for any thread count and in vector or scalar kernel mode; they depend
 * on the chunk size, which tests may choose.
 *
 * <h2>Float64</h2>
 * {@link DirectConvolution}: the definition as plain loops, for gradient checks.
 */
final class Convolution {
    // Scratch slots owned by this class (contents never outlive one call).
    private static final int SLOT_COLS = 0, SLOT_DCOLS = 1, SLOT_Y = 2, SLOT_DY = 3;
    /**
     * The weight gradient goes to {@link RowDots} when output channels per group or K fall below
     * this (measured on 2 threads, AVX-512: 32 x 9 over depth 86,528 takes 1.8 ms there vs 9 ms in
     * Gemm; 64 x 288 over 15,488 takes 8 ms in Gemm vs 34 ms in RowDots).
     */
    private static final int ROW_DOTS_BELOW = 64;
    /**
     * The batch is cut into at most this many weight-gradient chunks: enough to share among a few
     * threads evenly, few enough that the partial sums (one weight-sized array per chunk) stay
     * small and cheap to add up.
     */
    private static final int WEIGHT_CHUNKS = 16;
    /** Passed as the chunk size: let {@link #chunkImages} choose. */
    static final int DEFAULT_CHUNK = 0;

    private Convolution() {}

    static Tensor conv2d(Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, int[] dilation, int groups) {
        return conv2d(x, w, b, stride, padding, dilation, groups, DEFAULT_CHUNK);
    }

    /**
     * As above with a chosen number of images per weight-gradient chunk ({@link #DEFAULT_CHUNK}
     * for the usual choice); tests pass small ones to exercise several chunks.
     */
    static Tensor conv2d(Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, int[] dilation, int groups, int chunk) {
        ConvGeometry s = ConvGeometry.conv2d(x, w, b, stride, padding, dilation, groups);
        if (x.dtype == DType.F64) {
            Tensor xc = x.isContiguous() ? x : x.contiguousCopy();
            Tensor wc = w.isContiguous() ? w : w.contiguousCopy();
            Tensor bc = b == null || b.isContiguous() ? b : b.contiguousCopy();
            Tensor out = DirectConvolution.forward(s, xc, wc, bc);
            return Ops.record(out, "conv2d", g -> {
                Tensor gc = g.isContiguous() ? g : g.contiguousCopy();
                return DirectConvolution.backward(s, xc, wc, gc, x.requiresGrad(), w.requiresGrad(), b != null && b.requiresGrad());
            }, x, w, b);
        }
        return float32(s, x, w, b, chunk, false);
    }

    /**
     * {@code conv2d(...).reluMaxPool2d(2x2, stride 2)} as one operation, bit for bit (see
     * {@link ConvReluMaxPool}); other pooling geometries and float64 run the two operations.
     */
    static Tensor conv2dReluMaxPool(Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, int[] dilation, int groups,
                                    int[] poolKernel, int[] poolStride, int[] poolPadding, int chunk) {
        ConvGeometry s = ConvGeometry.conv2d(x, w, b, stride, padding, dilation, groups);
        if (x.dtype != DType.F32 || !ConvReluMaxPool.fuses(s, poolKernel, poolStride, poolPadding)) {
            return conv2d(x, w, b, stride, padding, dilation, groups, chunk).reluMaxPool2d(poolKernel, poolStride, poolPadding);
        }
        return float32(s, x, w, b, chunk, true);
    }

    /** The float32 path, with the conv output pooled through ReLU + 2x2 max pooling when {@code pooled}. */
    private static Tensor float32(ConvGeometry s, Tensor x, Tensor w, Tensor b, int chunk, boolean pooled) {
        Tensor xc = x.isContiguous() ? x : x.contiguousCopy();
        Tensor wc = w.isContiguous() ? w : w.contiguousCopy();
        Tensor bc = b == null || b.isContiguous() ? b : b.contiguousCopy();
        int colFloats = columnFloats(s), outImage = s.o() * s.p();
        boolean recording = GradMode.isEnabled() && (x.requiresGrad() || w.requiresGrad() || b != null && b.requiresGrad());
        ConvReluMaxPool pool = pooled ? new ConvReluMaxPool(s, recording) : null;
        // Unpooled, the conv output is the result; pooled, it is kept only when the backward pass
        // reads it rather than computing it again (each image's products write all of it).
        Tensor y = pool == null || pool.keepsOutput() ? Tensor.allocateOverwritten(DType.F32, s.outShape()) : null;
        Parallel.forRange(s.n(), 1, (from, to) -> {
            float[] cols = Scratch.floats(SLOT_COLS, colFloats);
            float[] yImage = y == null ? Scratch.floats(SLOT_Y, outImage) : null;
            for (int n = from; n < to; n++) {
                float[] ya = y == null ? yImage : y.f;
                int yo = y == null ? 0 : n * outImage;
                unfold(s, xc, n, cols);
                convolve(s, wc, bc, cols, ya, yo);
                if (pool != null) pool.forward(ya, yo, n);
            }
        });
        int chunkImages = chunk > 0 ? chunk : chunkImages(s.n());
        if (pool == null) return Ops.record(y, "conv2d", g -> backward32(s, chunkImages, x, xc, w, wc, b, bc, g, null, null), x, w, b);
        return Ops.record(pool.output(), "conv2dReluMaxPool2d", g -> backward32(s, chunkImages, x, xc, w, wc, b, bc, g, pool, y), x, w, b);
    }

    /** One image's output, y[o][p] = sum over k of W[o][k] cols[k][p], then + b[o], at {@code y[yo..]}. */
    private static void convolve(ConvGeometry s, Tensor wc, Tensor bc, float[] cols, float[] y, int yo) {
        int og = s.og(), k = s.k(), p = s.p();
        for (int g = 0; g < s.groups(); g++) {
            Gemm.sgemm(false, false, og, p, k, wc.f, wc.offset + g * og * k, k, cols, g * k * p, p, y, yo + g * og * p, p, false);
        }
        if (bc != null) addBias(s, bc, y, yo);
    }

    /** Floats of one image's column matrix (all groups), checked to fit a Java array. */
    private static int columnFloats(ConvGeometry s) {
        long perImage = (long) s.groups() * s.k() * s.p();
        if (perImage > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("conv2d: the column matrix of one image (C * kH * kW * OH * OW = " + perImage
                    + " floats) exceeds a Java array; use a smaller image or kernel");
        }
        return (int) perImage;
    }

    /** Images per weight-gradient chunk: the batch in at most {@link #WEIGHT_CHUNKS} equal chunks. */
    static int chunkImages(int batch) {
        return Math.max(1, (batch + WEIGHT_CHUNKS - 1) / WEIGHT_CHUNKS);
    }

    /** out[n][o][p] += bias[o] for one image (out at {@code off}): after the product, as y + b. */
    private static void addBias(ConvGeometry s, Tensor bias, float[] out, int off) {
        int p = s.p();
        for (int o = 0; o < s.o(); o++) {
            float bv = bias.f[bias.offset + o];
            int row = off + o * p;
            for (int i = 0; i < p; i++) out[row + i] += bv;
        }
    }

    /**
     * Gradients of the float32 path. Unpooled, image n's output gradient dY_n is read from g;
     * pooled, it is made per image in scratch from the pooling's gradient g (ReLU + pooling
     * backward over the conv output, kept or computed again from the image's columns), so the
     * full-batch dY never exists in memory.
     */
    private static Tensor[] backward32(ConvGeometry s, int chunkImages, Tensor x, Tensor xc, Tensor w, Tensor wc, Tensor b, Tensor bc,
                                       Tensor g, ConvReluMaxPool pool, Tensor y) {
        Tensor gc = g.isContiguous() ? g : g.contiguousCopy();
        int og = s.og(), k = s.k(), p = s.p(), groups = s.groups(), outImage = s.o() * p, colFloats = columnFloats(s);
        boolean wantW = w.requiresGrad(), wantX = x.requiresGrad(), wantB = b != null && b.requiresGrad();
        // Few outputs over a long depth (a first layer: 32 x 9 over 676 positions per image) make
        // every Gemm register tile a ragged edge; RowDots is 5x faster there.
        boolean rowDots = og < ROW_DOTS_BELOW || k < ROW_DOTS_BELOW;
        // One partial weight gradient per chunk: RowDots lane sums, or dW^T for Gemm.
        int state = groups * og * k * (rowDots ? RowDots.LANES : 1);
        int chunks = (s.n() + chunkImages - 1) / chunkImages;
        float[] partials = wantW ? new float[chunks * state] : null;
        // db[o] = the sum over images, in order, of each image's plane sum (Kernels.sumSegments):
        // per image, so that it can be taken while that image's dY is in cache.
        double[] planeSums = wantB ? new double[s.n() * s.o()] : null;
        Tensor gx = wantX ? Tensor.allocateOverwritten(DType.F32, x.shape) : null; // fold writes every image
        // W_g^T once per pass, row-major [K, O/g], so each image's dX product reads it in place
        // instead of packing the transposed operand again (same values, same chains).
        float[] wt = wantX ? transposeGroups(s, wc) : null;
        boolean recompute = pool != null && y == null;
        Parallel.forRange(chunks, 1, (from, to) -> {
            float[] cols = wantW || recompute ? Scratch.floats(SLOT_COLS, colFloats) : null;
            float[] dcols = wantX ? Scratch.floats(SLOT_DCOLS, colFloats) : null;
            float[] yImage = recompute ? Scratch.floats(SLOT_Y, outImage) : null;
            float[] dyImage = pool != null ? Scratch.floats(SLOT_DY, outImage) : null;
            for (int c = from; c < to; c++) {
                int n0 = c * chunkImages, n1 = Math.min(s.n(), n0 + chunkImages);
                for (int n = n0; n < n1; n++) {
                    // Unfolding again costs less than keeping the forward's columns alive until now.
                    if (wantW || recompute) unfold(s, xc, n, cols);
                    float[] dya;
                    int dy;
                    if (pool == null) {
                        dya = gc.f;
                        dy = gc.offset + n * outImage;
                    } else {
                        if (recompute) convolve(s, wc, bc, cols, yImage, 0);
                        pool.backward(recompute ? yImage : y.f, recompute ? 0 : n * outImage, gc, n, dyImage);
                        dya = dyImage;
                        dy = 0;
                    }
                    if (wantB) Kernels.rowSums(dya, dy, s.o(), p, planeSums, n * s.o());
                    if (wantW) {
                        for (int gi = 0; gi < groups; gi++) {
                            if (rowDots) {
                                RowDots.accumulate(og, k, p, dya, dy + gi * og * p, p, cols, gi * k * p, p,
                                        partials, c * state + gi * og * k * RowDots.LANES);
                            } else {
                                // dW_g^T = cols_g dY_g^T rather than dW_g = dY_g cols_g^T: the same fma chain per
                                // element, but Gemm runs this orientation 4x faster for conv shapes.
                                Gemm.sgemm(false, true, k, og, p, cols, gi * k * p, p, dya, dy + gi * og * p, p,
                                        partials, c * state + gi * k * og, og, n > n0);
                            }
                        }
                    }
                    if (wantX) {
                        for (int gi = 0; gi < groups; gi++) {
                            Gemm.sgemm(false, false, k, p, og, wt, gi * k * og, og, dya, dy + gi * og * p, p,
                                    dcols, gi * k * p, p, false);
                        }
                        fold(s, dcols, n, gx.f);
                    }
                }
            }
        });
        Tensor gb = wantB ? biasGradient(s, planeSums) : null;
        return new Tensor[] {gx, wantW ? weightGradient(s, w, rowDots, partials, chunks, state) : null, gb};
    }

    /** wt[g][kk][o] = w[g*og + o][kk]: each group's [O/g, K] weight block transposed. */
    private static float[] transposeGroups(ConvGeometry s, Tensor w) {
        int og = s.og(), k = s.k();
        float[] wt = new float[s.groups() * k * og];
        for (int gi = 0; gi < s.groups(); gi++) {
            for (int o = 0; o < og; o++) {
                for (int kk = 0; kk < k; kk++) wt[(gi * k + kk) * og + o] = w.f[w.offset + (gi * og + o) * k + kk];
            }
        }
        return wt;
    }

    /** db[o] = the double sum over images n, in order, of image n's plane sum of channel o, rounded once. */
    private static Tensor biasGradient(ConvGeometry s, double[] planeSums) {
        Tensor gb = Tensor.allocate(DType.F32, new int[] {s.o()});
        for (int o = 0; o < s.o(); o++) {
            double sum = 0;
            for (int n = 0; n < s.n(); n++) sum += planeSums[n * s.o() + o];
            gb.f[o] = (float) sum;
        }
        return gb;
    }

    /** Adds the chunks' partials in chunk order, then combines RowDots lanes or transposes dW^T. */
    private static Tensor weightGradient(ConvGeometry s, Tensor w, boolean rowDots, float[] partials, int chunks, int state) {
        for (int c = 1; c < chunks; c++) Kernels.addInPlace(partials, 0, partials, c * state, state);
        int og = s.og(), k = s.k();
        Tensor gw = Tensor.allocate(DType.F32, w.shape);
        for (int gi = 0; gi < s.groups(); gi++) {
            if (rowDots) {
                RowDots.combine(og, k, partials, gi * og * k * RowDots.LANES, gw.f, gi * og * k, k);
            } else {
                for (int o = 0; o < og; o++) {
                    for (int kk = 0; kk < k; kk++) gw.f[(gi * og + o) * k + kk] = partials[gi * k * og + kk * og + o];
                }
            }
        }
        return gw;
    }

    /** im2col of image n into cols laid out [groups][K][P] (that is, rows in (c, kh, kw) order), on the calling thread. */
    private static void unfold(ConvGeometry s, Tensor xc, int n, float[] cols) {
        Im2Col.unfoldImage(xc.f, xc.offset + n * s.c() * s.h() * s.w(), s.c(), s.window(), cols, 0);
    }

    /**
     * col2im of dcols [groups][K][P] into image n of the input gradient (written, not added), on
     * the calling thread: only the kH*kW rows of channel c add into channel c, in (kh, kw) order.
     */
    private static void fold(ConvGeometry s, float[] dcols, int n, float[] gx) {
        Im2Col.foldImage(dcols, 0, s.c(), s.window(), gx, n * s.c() * s.h() * s.w());
    }
}
