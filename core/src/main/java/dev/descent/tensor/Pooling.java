package dev.descent.tensor;

import dev.descent.tensor.kernel.MaxPool2x2;
import dev.descent.tensor.kernel.Parallel;

/**
 * Max and average pooling over the spatial dimensions of NCHW input, as
 * torch.nn.functional.max_pool2d / avg_pool2d with ceil_mode = False (and dilation 1). Output size
 * per dimension: {@code floor((in + 2*padding - kernel) / stride) + 1}; padding is at most half
 * the kernel, so every window holds at least one real element.
 *
 * <ul>
 *   <li>max: padding acts as -inf (never chosen). The gradient of each output goes to the
 *       position of its maximum, the first one in row-major window order on ties; a NaN counts as
 *       the maximum (the last NaN of the window), as in PyTorch's CPU kernel. Overlapping
 *       windows (stride &lt; kernel) add up. (Float32 reports +0 for a window whose maximum is
 *       zero, where PyTorch keeps the sign of the first zero; the gradient position agrees.)
 *   <li>avg (count_include_pad = True): {@code out = sum of the window's real elements / (kH*kW)},
 *       the padded zeros counted in the divisor; each input receives g / (kH*kW) from every window
 *       covering it.
 * </ul>
 * Work is split over the N*C planes, each plane computed by one thread in a fixed order, so
 * results do not depend on the thread count. Sums accumulate in double. Float32 max pooling with
 * kernel 2, stride 2 and no padding runs {@link MaxPool2x2}'s loops, which give the same values
 * and gradients as the general ones (MaxPool2x2Test) several times faster.
 */
final class Pooling {
    private static final int GRAIN_ELEMENTS = 1 << 14;

    private Pooling() {}

    private static double read(Tensor t, int i) {
        return t.dtype == DType.F32 ? t.f[i] : t.d[i];
    }

    private static void write(Tensor t, int i, double v) {
        if (t.dtype == DType.F32) t.f[i] = (float) v;
        else t.d[i] = v;
    }

    private static int grain(ConvGeometry s) {
        return Math.max(1, GRAIN_ELEMENTS / Math.max(1, s.h() * s.w()));
    }

    static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding) {
        return maxPool2d(x, kernel, stride, padding, true);
    }

    /** As above; {@code fast} false keeps the float32 2 x 2 case on the general loops (tests compare the two). */
    static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean fast) {
        ConvGeometry s = ConvGeometry.pool2d("maxPool2d", x, kernel, stride, padding);
        Tensor xc = x.isContiguous() ? x : x.contiguousCopy();
        if (fast && x.dtype == DType.F32 && s.isHalving2x2()) {
            return maxPool2x2(s, x, xc);
        }
        Tensor out = Tensor.allocate(x.dtype, s.outShape());
        int planes = s.n() * s.c(), hw = s.h() * s.w(), p = s.p();
        // float64 records each output's arg-max (index within its input plane) as it goes; float32
        // computes values only and finds the arg-max in the backward pass (see maxValues).
        int[] argmax = x.dtype == DType.F64 ? new int[planes * p] : null;
        Parallel.forRange(planes, grain(s), (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                if (argmax == null) maxValues(s, xc.f, xc.offset + plane * hw, out.f, plane * p);
                else maxPlane(s, xc, xc.offset + plane * hw, out, argmax, plane * p);
            }
        });
        return Ops.record(out, "maxPool2d", g -> {
            Tensor gc = g.isContiguous() ? g : g.contiguousCopy();
            Tensor gx = Tensor.allocate(x.dtype, x.shape);
            Parallel.forRange(planes, grain(s), (from, to) -> {
                int[] rowArgmax = new int[s.ow()];
                for (int plane = from; plane < to; plane++) {
                    if (argmax == null) {
                        maxGradient(s, xc.f, xc.offset + plane * hw, out.f, gc.f, gc.offset, plane * p, gx.f, plane * hw, rowArgmax);
                        continue;
                    }
                    for (int q = 0; q < p; q++) gx.d[plane * hw + argmax[plane * p + q]] += gc.d[gc.offset + plane * p + q];
                }
            });
            return new Tensor[] {gx};
        }, x);
    }

    /** The common 2 x 2, stride 2, unpadded float32 case on {@link MaxPool2x2}'s loops, planes split over threads. */
    private static Tensor maxPool2x2(ConvGeometry s, Tensor x, Tensor xc) {
        Tensor out = Tensor.allocateOverwritten(DType.F32, s.outShape()); // every window writes its maximum
        int hw = s.h() * s.w(), p = s.p();
        Parallel.forRange(s.n() * s.c(), grain(s), (from, to) ->
                MaxPool2x2.forward(xc.f, xc.offset + from * hw, s.h(), s.w(), to - from, out.f, from * p));
        return Ops.record(out, "maxPool2d", g -> {
            Tensor gc = g.isContiguous() ? g : g.contiguousCopy();
            Tensor gx = Tensor.allocate(DType.F32, x.shape);
            Parallel.forRange(s.n() * s.c(), grain(s), (from, to) -> MaxPool2x2.backward(xc.f, xc.offset + from * hw, s.h(), s.w(),
                    to - from, out.f, from * p, gc.f, gc.offset + from * p, gx.f, from * hw));
            return new Tensor[] {gx};
        }, x);
    }

    /**
     * Float32 window maxima of one plane, one output row at a time: for each window offset
     * (kh, kw), a loop over the output columns folds in one input element each. The columns are
     * independent, so there is no chain of dependent max operations and no data-dependent branch;
     * tracking the arg-max here instead (a select per element, which the JIT compiles to a
     * mispredicted branch on real data) made the pass ten times slower.
     *
     * <p>{@code Math.max} gives PyTorch's value (NaN if the window has one, else the maximum) except
     * that a window whose maximum is a zero reports +0 where PyTorch reports the sign of the first zero.
     */
    private static void maxValues(ConvGeometry s, float[] x, int base, float[] out, int outBase) {
        int ow = s.ow(), w = s.w();
        for (int i = 0; i < s.oh(); i++) {
            int o = outBase + i * ow;
            java.util.Arrays.fill(out, o, o + ow, Float.NEGATIVE_INFINITY);
            for (int kh = 0; kh < s.kH(); kh++) {
                int ih = i * s.sH() - s.pH() + kh;
                if (ih < 0 || ih >= s.h()) continue;
                int row = base + ih * w;
                for (int kw = 0; kw < s.kW(); kw++) {
                    int shift = kw - s.pW(); // input column of output column j: j * sW + shift
                    int lo = shift >= 0 ? 0 : Math.min(ow, (-shift + s.sW() - 1) / s.sW());
                    int hi = w - 1 - shift < 0 ? lo : Math.max(lo, Math.min(ow, (w - 1 - shift) / s.sW() + 1));
                    for (int j = lo; j < hi; j++) out[o + j] = Math.max(out[o + j], x[row + j * s.sW() + shift]);
                }
            }
        }
    }

    /**
     * Float32 max-pool gradient of one plane: finds each output's arg-max as PyTorch's loop picks
     * it (the first element equal to the maximum in row-major window order; the last NaN when the
     * maximum is NaN), then adds g there, outputs in row-major order.
     *
     * <p>Per output row, window offsets are visited in reverse order and each column keeps
     * {@code equal ? position : kept}, so the last match seen, the first in window order, wins.
     * These are integer selects, which the JIT compiles without branches; a search loop that
     * stops at the match mispredicts on nearly every window and took eight times as long.
     */
    private static void maxGradient(ConvGeometry s, float[] x, int base, float[] out, float[] g, int gOff, int outBase,
                                    float[] gx, int gxBase, int[] at) {
        int ow = s.ow(), w = s.w();
        for (int i = 0; i < s.oh(); i++) {
            int o = outBase + i * ow;
            for (int kh = s.kH() - 1; kh >= 0; kh--) {
                int ih = i * s.sH() - s.pH() + kh;
                if (ih < 0 || ih >= s.h()) continue;
                for (int kw = s.kW() - 1; kw >= 0; kw--) {
                    int shift = kw - s.pW();
                    int lo = shift >= 0 ? 0 : Math.min(ow, (-shift + s.sW() - 1) / s.sW());
                    int hi = w - 1 - shift < 0 ? lo : Math.max(lo, Math.min(ow, (w - 1 - shift) / s.sW() + 1));
                    int rowStart = ih * w + shift;
                    for (int j = lo; j < hi; j++) {
                        int pos = rowStart + j * s.sW();
                        at[j] = x[base + pos] == out[o + j] ? pos : at[j];
                    }
                }
            }
            for (int j = 0; j < ow; j++) {
                if (out[o + j] != out[o + j]) at[j] = lastNaN(s, x, base, i, j);
                gx[gxBase + at[j]] += g[gOff + o + j];
            }
        }
    }

    /** Position of the last NaN of window (i, j) in row-major order (padding holds none). */
    private static int lastNaN(ConvGeometry s, float[] x, int base, int i, int j) {
        int h0 = Math.max(i * s.sH() - s.pH(), 0), h1 = Math.min(i * s.sH() - s.pH() + s.kH(), s.h());
        int w0 = Math.max(j * s.sW() - s.pW(), 0), w1 = Math.min(j * s.sW() - s.pW() + s.kW(), s.w());
        for (int ih = h1 - 1; ih >= h0; ih--) {
            for (int iw = w1 - 1; iw >= w0; iw--) {
                float v = x[base + ih * s.w() + iw];
                if (v != v) return ih * s.w() + iw;
            }
        }
        throw new IllegalStateException("internal: maxPool2d window (" + i + ", " + j + ") has a NaN maximum but no NaN");
    }

    /**
     * Values and arg-max of one plane of any element type (float64 for gradient checks), PyTorch's
     * loop exactly: start below everything at the first real element of the window, take strictly
     * larger values (first wins ties) and any NaN (the last NaN wins).
     */
    private static void maxPlane(ConvGeometry s, Tensor xc, int base, Tensor out, int[] argmax, int outBase) {
        for (int i = 0; i < s.oh(); i++) {
            int h0 = i * s.sH() - s.pH(), h1 = Math.min(h0 + s.kH(), s.h());
            h0 = Math.max(h0, 0);
            for (int j = 0; j < s.ow(); j++) {
                int w0 = j * s.sW() - s.pW(), w1 = Math.min(w0 + s.kW(), s.w());
                w0 = Math.max(w0, 0);
                int best = h0 * s.w() + w0;
                double bv = Double.NEGATIVE_INFINITY;
                for (int ih = h0; ih < h1; ih++) {
                    for (int iw = w0; iw < w1; iw++) {
                        double v = read(xc, base + ih * s.w() + iw);
                        if (v > bv || Double.isNaN(v)) {
                            bv = v;
                            best = ih * s.w() + iw;
                        }
                    }
                }
                argmax[outBase + i * s.ow() + j] = best;
                write(out, outBase + i * s.ow() + j, bv);
            }
        }
    }

    static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding) {
        ConvGeometry s = ConvGeometry.pool2d("avgPool2d", x, kernel, stride, padding);
        Tensor xc = x.isContiguous() ? x : x.contiguousCopy();
        Tensor out = Tensor.allocate(x.dtype, s.outShape());
        int planes = s.n() * s.c(), hw = s.h() * s.w(), p = s.p();
        double divisor = s.kH() * s.kW(); // count_include_pad: padded zeros count
        Parallel.forRange(planes, grain(s), (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int base = xc.offset + plane * hw;
                for (int i = 0; i < s.oh(); i++) {
                    int h0 = Math.max(i * s.sH() - s.pH(), 0), h1 = Math.min(i * s.sH() - s.pH() + s.kH(), s.h());
                    for (int j = 0; j < s.ow(); j++) {
                        int w0 = Math.max(j * s.sW() - s.pW(), 0), w1 = Math.min(j * s.sW() - s.pW() + s.kW(), s.w());
                        double sum = 0;
                        for (int ih = h0; ih < h1; ih++) {
                            for (int iw = w0; iw < w1; iw++) sum += read(xc, base + ih * s.w() + iw);
                        }
                        write(out, plane * p + i * s.ow() + j, sum / divisor);
                    }
                }
            }
        });
        return Ops.record(out, "avgPool2d", g -> {
            Tensor gc = g.isContiguous() ? g : g.contiguousCopy();
            Tensor gx = Tensor.allocate(x.dtype, x.shape);
            Parallel.forRange(planes, grain(s), (from, to) -> {
                for (int plane = from; plane < to; plane++) {
                    int base = plane * hw;
                    for (int i = 0; i < s.oh(); i++) {
                        int h0 = Math.max(i * s.sH() - s.pH(), 0), h1 = Math.min(i * s.sH() - s.pH() + s.kH(), s.h());
                        for (int j = 0; j < s.ow(); j++) {
                            int w0 = Math.max(j * s.sW() - s.pW(), 0), w1 = Math.min(j * s.sW() - s.pW() + s.kW(), s.w());
                            double share = read(gc, gc.offset + plane * p + i * s.ow() + j) / divisor;
                            for (int ih = h0; ih < h1; ih++) {
                                for (int iw = w0; iw < w1; iw++) {
                                    int xi = base + ih * s.w() + iw;
                                    write(gx, xi, read(gx, xi) + share);
                                }
                            }
                        }
                    }
                }
            });
            return new Tensor[] {gx};
        }, x);
    }
}
