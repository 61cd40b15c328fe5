package dev.descent.tensor;

/**
 * conv2d in float64 by the definition, with plain loops: the path gradient checks take, and an
 * independent reference for the float32 im2col path (the two share no code beyond the geometry).
 *
 * <pre>
 *   out[n][o][i][j] = b[o] + sum over c &lt; C/groups, kh, kw of
 *                     x[n][g*C/groups + c][i*sH - pH + kh*dH][j*sW - pW + kw*dW] * w[o][c][kh][kw]
 * </pre>
 * with g = o / (O/groups) and padding positions contributing 0. The backward pass applies the
 * transpose of the same sum: each product term sends g*w to x, g*x to w and g to b.
 */
final class DirectConvolution {
    private DirectConvolution() {}

    /** x, w contiguous float64 (offsets honoured); b may be null. */
    static Tensor forward(ConvGeometry s, Tensor x, Tensor w, Tensor b) {
        Tensor out = Tensor.allocate(DType.F64, s.outShape());
        double[] xd = x.d, wd = w.d, od = out.d;
        int cg = s.cg(), og = s.og();
        int idx = 0;
        for (int n = 0; n < s.n(); n++) {
            for (int o = 0; o < s.o(); o++) {
                int c0 = (o / og) * cg;
                for (int i = 0; i < s.oh(); i++) {
                    for (int j = 0; j < s.ow(); j++) {
                        double sum = b == null ? 0 : b.d[b.offset + o];
                        for (int c = 0; c < cg; c++) {
                            for (int kh = 0; kh < s.kH(); kh++) {
                                int ih = i * s.sH() - s.pH() + kh * s.dH();
                                if (ih < 0 || ih >= s.h()) continue;
                                for (int kw = 0; kw < s.kW(); kw++) {
                                    int iw = j * s.sW() - s.pW() + kw * s.dW();
                                    if (iw < 0 || iw >= s.w()) continue;
                                    sum += xd[x.offset + ((n * s.c() + c0 + c) * s.h() + ih) * s.w() + iw]
                                            * wd[w.offset + ((o * cg + c) * s.kH() + kh) * s.kW() + kw];
                                }
                            }
                        }
                        od[idx++] = sum;
                    }
                }
            }
        }
        return out;
    }

    /** Gradients {dx, dw, db} for g = dL/dout (contiguous); entries not wanted are null. */
    static Tensor[] backward(ConvGeometry s, Tensor x, Tensor w, Tensor g, boolean wantX, boolean wantW, boolean wantB) {
        Tensor gx = wantX ? Tensor.allocate(DType.F64, new int[] {s.n(), s.c(), s.h(), s.w()}) : null;
        Tensor gw = wantW ? Tensor.allocate(DType.F64, w.shape) : null;
        Tensor gb = wantB ? Tensor.allocate(DType.F64, new int[] {s.o()}) : null;
        int cg = s.cg(), og = s.og();
        int idx = g.offset;
        for (int n = 0; n < s.n(); n++) {
            for (int o = 0; o < s.o(); o++) {
                int c0 = (o / og) * cg;
                for (int i = 0; i < s.oh(); i++) {
                    for (int j = 0; j < s.ow(); j++) {
                        double gv = g.d[idx++];
                        if (wantB) gb.d[o] += gv;
                        for (int c = 0; c < cg; c++) {
                            for (int kh = 0; kh < s.kH(); kh++) {
                                int ih = i * s.sH() - s.pH() + kh * s.dH();
                                if (ih < 0 || ih >= s.h()) continue;
                                for (int kw = 0; kw < s.kW(); kw++) {
                                    int iw = j * s.sW() - s.pW() + kw * s.dW();
                                    if (iw < 0 || iw >= s.w()) continue;
                                    int xi = ((n * s.c() + c0 + c) * s.h() + ih) * s.w() + iw;
                                    int wi = ((o * cg + c) * s.kH() + kh) * s.kW() + kw;
                                    if (wantX) gx.d[xi] += gv * w.d[w.offset + wi];
                                    if (wantW) gw.d[wi] += gv * x.d[x.offset + xi];
                                }
                            }
                        }
                    }
                }
            }
        }
        return new Tensor[] {gx, gw, gb};
    }
}
