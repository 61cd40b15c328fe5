package dev.descent.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * im2col and col2im ({@link Im2Col}) for stride-1 windows over feature maps whose rows fit in one
 * vector (input and output at most 16 floats wide with 16 float lanes: the 13 x 13 maps of a
 * small CNN's second convolution). Each map row is then one vector, and the masks that select
 * the valid lanes of a kernel column depend on that column only, so they are built once per call:
 * <pre>
 *   unfold: col[(kh, kw)][i][j] = x[i + kh*dH - pH][j + kw*dW - pW]   (0 outside the map)
 *   fold:   x[ih][jj] += col[(kh, kw)][ih - kh*dH + pH][jj - kw*dW + pW]   for (kh, kw) in order
 * </pre>
 * The fold keeps a whole input row in one register while all kH * kW kernel positions add into
 * it, in (kh, kw) order: per element that is the order of {@link Im2Col#foldImage}'s scalar
 * loops, so the bits are the same, but the row is loaded and stored once instead of once per
 * kernel position (the general path's 9 read-modify-writes of 11 floats per row were 17 us of a
 * 13 x 13 x 32 image's backward, about a tenth of the CNN benchmark's epoch). Lanes outside a
 * position's valid range are left untouched by a masked add, not given +0.
 */
final class VectorNarrowWindows {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorNarrowWindows() {}

    /** Whether these loops cover the window: stride 1, and input and output rows of at most one vector. */
    static boolean fits(Im2Col.Window s) {
        return s.sH() == 1 && s.sW() == 1 && s.w() <= L && s.ow() <= L;
    }

    /** Lanes jj (input columns) that kernel column kw reads: 0 <= jj - shift < ow and jj < w. */
    private static VectorMask<Float> inputLanes(Im2Col.Window s, int shift) {
        long bits = 0;
        for (int jj = Math.max(0, shift); jj < Math.min(s.w(), shift + s.ow()); jj++) bits |= 1L << jj;
        return VectorMask.fromLong(S, bits);
    }

    /** Lanes j (output columns) whose input column j + shift lies in the map. */
    private static VectorMask<Float> outputLanes(Im2Col.Window s, int shift) {
        long bits = 0;
        for (int j = Math.max(0, -shift); j < Math.min(s.ow(), s.w() - shift); j++) bits |= 1L << j;
        return VectorMask.fromLong(S, bits);
    }

    /** {@link Im2Col#unfoldImage} for these windows. */
    static void unfoldImage(float[] x, int xOff, int channels, Im2Col.Window s, float[] col, int colOff) {
        int ow = s.ow(), w = s.w(), plane = s.h() * w, kH = s.kH(), kW = s.kW(), lastLoad = x.length - L;
        VectorMask<Float>[] valid = masks(kW);
        int[] shifts = new int[kW];
        boolean[] padded = new boolean[kW];
        VectorMask<Float> row = S.indexInRange(0, ow);
        for (int kw = 0; kw < kW; kw++) {
            shifts[kw] = kw * s.dW() - s.pW();
            valid[kw] = outputLanes(s, shifts[kw]);
            padded[kw] = !valid[kw].eq(row).allTrue();
        }
        FloatVector zero = FloatVector.zero(S);
        int dst = colOff;
        for (int c = 0; c < channels; c++) {
            for (int kh = 0; kh < kH; kh++) {
                for (int kw = 0; kw < kW; kw++) {
                    int src = xOff + c * plane + shifts[kw];
                    for (int i = 0; i < s.oh(); i++, dst += ow) {
                        int ih = i + kh * s.dH() - s.pH();
                        if (ih < 0 || ih >= s.h()) {
                            zero.intoArray(col, dst, row);
                            continue;
                        }
                        // Lane j takes x[ih][j + shift], 0 in the padding. A whole-vector load then a
                        // select measured 1.5x faster than a masked load; lanes past ow are not stored.
                        int at = src + ih * w;
                        FloatVector v;
                        if (at >= 0 && at <= lastLoad) {
                            v = FloatVector.fromArray(S, x, at);
                            if (padded[kw]) v = zero.blend(v, valid[kw]);
                        } else {
                            v = FloatVector.fromArray(S, x, at, valid[kw]);
                        }
                        v.intoArray(col, dst, row);
                    }
                }
            }
        }
    }

    /** {@link Im2Col#foldImage} for these windows: each input row starts from +0 in a register, then takes its additions. */
    static void foldImage(float[] col, int colOff, int channels, Im2Col.Window s, float[] x, int xOff) {
        int p = s.oh() * s.ow(), kH = s.kH(), kW = s.kW(), w = s.w(), plane = s.h() * w, lastLoad = col.length - L;
        VectorMask<Float>[] lanes = masks(kW);
        int[] shifts = new int[kW];
        for (int kw = 0; kw < kW; kw++) {
            shifts[kw] = kw * s.dW() - s.pW();
            lanes[kw] = inputLanes(s, shifts[kw]);
        }
        VectorMask<Float> row = S.indexInRange(0, w);
        FloatVector zero = FloatVector.zero(S);
        for (int c = 0; c < channels; c++) {
            int channelRows = colOff + c * kH * kW * p;
            for (int ih = 0; ih < s.h(); ih++) {
                int to = xOff + c * plane + ih * w;
                FloatVector acc = zero;
                for (int kh = 0; kh < kH; kh++) {
                    int i = ih - kh * s.dH() + s.pH();
                    if (i < 0 || i >= s.oh()) continue;
                    int rows = channelRows + kh * kW * p + i * s.ow();
                    for (int kw = 0; kw < kW; kw++) {
                        // Lane jj takes col[(kh, kw)][i][jj - shift]; the masked add leaves the other lanes
                        // as they are, so a whole-vector load may read past the row (1.5x faster than masked).
                        int at = rows + kw * p - shifts[kw];
                        FloatVector v = at >= 0 && at <= lastLoad
                                ? FloatVector.fromArray(S, col, at)
                                : FloatVector.fromArray(S, col, at, lanes[kw]);
                        acc = acc.add(v, lanes[kw]);
                    }
                }
                acc.intoArray(x, to, row);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static VectorMask<Float>[] masks(int n) {
        return (VectorMask<Float>[]) new VectorMask[n];
    }
}
