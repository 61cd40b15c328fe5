package dev.descent.tensor;

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
 *       windows (stride &lt; kernel) add up.
 *   <li>avg (count_include_pad = True): {@code out = sum of the window's real elements / (kH*kW)},
 *       the padded zeros counted in the divisor; each input receives g / (kH*kW) from every window
 *       covering it.
 * </ul>
 * Work is split over the N*C planes, each plane computed by one thread in a fixed order, so
 * results do not depend on the thread count. Sums accumulate in double.
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
        ConvGeometry s = ConvGeometry.pool2d("maxPool2d", x, kernel, stride, padding);
        Tensor xc = x.isContiguous() ? x : x.contiguousCopy();
        Tensor out = Tensor.allocate(x.dtype, s.outShape());
        int planes = s.n() * s.c(), hw = s.h() * s.w(), p = s.p();
        int[] argmax = new int[planes * p]; // index within the input plane of each output's maximum
        Parallel.forRange(planes, grain(s), (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                if (x.dtype == DType.F32) maxPlane(s, xc.f, xc.offset + plane * hw, out.f, argmax, plane * p);
                else maxPlane(s, xc, xc.offset + plane * hw, out, argmax, plane * p);
            }
        });
        return Ops.record(out, "maxPool2d", g -> {
            Tensor gc = g.isContiguous() ? g : g.contiguousCopy();
            Tensor gx = Tensor.allocate(x.dtype, x.shape);
            Parallel.forRange(planes, grain(s), (from, to) -> {
                for (int plane = from; plane < to; plane++) {
                    for (int q = 0; q < p; q++) {
                        int o = plane * p + q, xi = plane * hw + argmax[o];
                        if (gx.dtype == DType.F32) gx.f[xi] += gc.f[gc.offset + o];
                        else gx.d[xi] += gc.d[gc.offset + o];
                    }
                }
            });
            return new Tensor[] {gx};
        }, x);
    }

    /**
     * One float32 plane. PyTorch's loop exactly: start below everything at the first real element
     * of the window, take strictly larger values (first wins ties) and any NaN (the last NaN wins).
     * Written with selects rather than branches: on real data the comparison is a coin flip, and
     * mispredicted branches made this loop ten times slower than the convolution before it.
     */
    private static void maxPlane(ConvGeometry s, float[] x, int base, float[] out, int[] argmax, int outBase) {
        int w = s.w();
        for (int i = 0; i < s.oh(); i++) {
            int h0 = i * s.sH() - s.pH(), h1 = Math.min(h0 + s.kH(), s.h());
            h0 = Math.max(h0, 0);
            for (int j = 0; j < s.ow(); j++) {
                int w0 = j * s.sW() - s.pW(), w1 = Math.min(w0 + s.kW(), w);
                w0 = Math.max(w0, 0);
                int best = h0 * w + w0;
                float bv = Float.NEGATIVE_INFINITY;
                for (int ih = h0; ih < h1; ih++) {
                    for (int iw = w0; iw < w1; iw++) {
                        int at = ih * w + iw;
                        float v = x[base + at];
                        boolean take = v > bv || v != v;
                        best = take ? at : best;
                        bv = take ? v : bv;
                    }
                }
                argmax[outBase + i * s.ow() + j] = best;
                out[outBase + i * s.ow() + j] = bv;
            }
        }
    }

    /** The same for any element type (float64 for gradient checks), reading through doubles. */
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
