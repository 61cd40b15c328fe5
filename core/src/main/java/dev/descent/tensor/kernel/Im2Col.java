package dev.descent.tensor.kernel;

import java.util.Arrays;

/**
 * Unfolding of convolution windows into matrix columns (im2col) and its adjoint (col2im), which
 * turn a 2-D convolution into one matrix multiply: K. Chellapilla, S. Puri, P. Simard, "High
 * Performance Convolutional Neural Networks for Document Processing", IWFHR 2006.
 *
 * <p>For one image of C channels, {@code H x W}, a {@code kH x kW} kernel with stride {@code s},
 * padding {@code p} and dilation {@code d}, the column matrix has one row per (c, kh, kw) and one
 * column per output position, P = OH*OW columns:
 * <pre>
 *   col[(c*kH + kh)*kW + kw][oh*OW + ow] = x[c][oh*sH - pH + kh*dH][ow*sW - pW + kw*dW]
 * </pre>
 * or 0 where that position falls in the padding. Row order matches a weight tensor
 * {@code [out, C, kH, kW]} flattened to {@code [out, K]}, so {@code out = W * col}.
 *
 * <p>{@link #unfoldImage} writes the matrix; {@link #foldImage} is the transpose map: every entry
 * goes back onto the input position it was copied from, which turns a column gradient into an
 * input gradient. For each input element the additions run in (kh, kw) order (a given (kh, kw)
 * reaches an element at most once). Both are plain copies and adds, run by
 * {@link VectorNarrowWindows} or {@link VectorRows} in vector mode, identical in vector and scalar
 * kernel mode.
 */
public final class Im2Col {
    private Im2Col() {}

    /**
     * The spatial sizes of one convolution: input {@code h x w}, kernel, stride, padding,
     * dilation, and output {@code oh x ow}.
     */
    public record Window(int h, int w, int kH, int kW, int sH, int sW, int pH, int pW, int dH, int dW, int oh, int ow) {}

    /** Row (c, kh, kw) of the column matrix: {@code oh * ow} values at {@code col[colOff..]}, from the channel at {@code x[plane..]}. */
    private static void unfoldRow(float[] x, int plane, Window s, int kh, int kw, float[] col, int colOff) {
        int shift = kw * s.dW() - s.pW(); // input column of output column j is j * sW + shift
        int lo = validLow(shift, s.sW(), s.ow()), hi = validHigh(shift, s.sW(), s.w(), s.ow(), lo);
        // Rows of a small map are short: vector moves beat an arraycopy call there (same bits).
        boolean vector = KernelMode.vectorized();
        for (int i = 0; i < s.oh(); i++) {
            int ih = i * s.sH() + kh * s.dH() - s.pH();
            int dst = colOff + i * s.ow();
            if (ih < 0 || ih >= s.h()) {
                Arrays.fill(col, dst, dst + s.ow(), 0f);
                continue;
            }
            int src = plane + ih * s.w() + shift;
            if (lo > 0) Arrays.fill(col, dst, dst + lo, 0f);
            if (s.sW() == 1) {
                if (vector) VectorRows.copy(x, src + lo, col, dst + lo, hi - lo);
                else System.arraycopy(x, src + lo, col, dst + lo, hi - lo);
            } else {
                for (int j = lo; j < hi; j++) col[dst + j] = x[src + j * s.sW()];
            }
            if (hi < s.ow()) Arrays.fill(col, dst + hi, dst + s.ow(), 0f);
        }
    }

    /**
     * Adds the kH*kW rows of one channel (row (kh, kw) at {@code col[colOff + (kh*kW + kw)*P..]})
     * onto that channel at {@code x[plane..]}, which must be initialised.
     */
    private static void foldChannel(float[] col, int colOff, Window s, float[] x, int plane) {
        int p = s.oh() * s.ow();
        boolean vector = KernelMode.vectorized();
        for (int kh = 0; kh < s.kH(); kh++) {
            for (int kw = 0; kw < s.kW(); kw++) {
                int row = colOff + (kh * s.kW() + kw) * p;
                int shift = kw * s.dW() - s.pW();
                int lo = validLow(shift, s.sW(), s.ow()), hi = validHigh(shift, s.sW(), s.w(), s.ow(), lo);
                for (int i = 0; i < s.oh(); i++) {
                    int ih = i * s.sH() + kh * s.dH() - s.pH();
                    if (ih < 0 || ih >= s.h()) continue;
                    int src = row + i * s.ow();
                    int dst = plane + ih * s.w() + shift;
                    if (s.sW() == 1) {
                        if (vector) VectorRows.add(col, src + lo, x, dst + lo, hi - lo);
                        else for (int j = lo; j < hi; j++) x[dst + j] += col[src + j];
                    } else {
                        for (int j = lo; j < hi; j++) x[dst + j * s.sW()] += col[src + j];
                    }
                }
            }
        }
    }

    /**
     * All rows of one image's column matrix, {@code channels * kH * kW} rows of P = OH*OW values
     * at {@code col[colOff..]} in (c, kh, kw) order, from the image at {@code x[xOff..]}.
     */
    public static void unfoldImage(float[] x, int xOff, int channels, Window s, float[] col, int colOff) {
        if (KernelMode.vectorized() && VectorNarrowWindows.fits(s)) {
            VectorNarrowWindows.unfoldImage(x, xOff, channels, s, col, colOff);
            return;
        }
        int plane = s.h() * s.w(), kk = s.kH() * s.kW(), p = s.oh() * s.ow();
        for (int r = 0; r < channels * kk; r++) {
            int q = r % kk;
            unfoldRow(x, xOff + r / kk * plane, s, q / s.kW(), q % s.kW(), col, colOff + r * p);
        }
    }

    /**
     * The adjoint of {@link #unfoldImage}: writes one image's input gradient at {@code x[xOff..]}
     * from its column matrix, each element being +0 plus its entries in (kh, kw) order.
     */
    public static void foldImage(float[] col, int colOff, int channels, Window s, float[] x, int xOff) {
        if (KernelMode.vectorized() && VectorNarrowWindows.fits(s)) {
            VectorNarrowWindows.foldImage(col, colOff, channels, s, x, xOff);
            return;
        }
        int plane = s.h() * s.w(), kk = s.kH() * s.kW(), p = s.oh() * s.ow();
        Arrays.fill(x, xOff, xOff + channels * plane, 0f);
        for (int c = 0; c < channels; c++) foldChannel(col, colOff + c * kk * p, s, x, xOff + c * plane);
    }

    /** First output column j whose input column j*s + shift is >= 0 (at most ow). */
    private static int validLow(int shift, int s, int ow) {
        if (shift >= 0) return 0;
        return Math.min(ow, (-shift + s - 1) / s);
    }

    /** One past the last output column j whose input column j*s + shift is &lt; w (at least lo). */
    private static int validHigh(int shift, int s, int w, int ow, int lo) {
        int last = w - 1 - shift; // need j*s <= last
        if (last < 0) return lo;
        return Math.max(lo, Math.min(ow, last / s + 1));
    }
}
