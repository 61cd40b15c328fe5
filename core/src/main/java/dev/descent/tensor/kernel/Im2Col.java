package dev.descent.tensor.kernel;

import java.util.Arrays;

/**
 * Unfolding of convolution windows into matrix columns (im2col) and its adjoint (col2im), which
 * turn a 2-D convolution into one matrix multiply: K. Chellapilla, S. Puri, P. Simard, "High
 * Performance Convolutional Neural Networks for Document Processing", IWFHR 2006.
 *
 * <p>For one image of {@code C} channels, {@code H x W}, a {@code kH x kW} kernel with stride
 * {@code s}, padding {@code p} and dilation {@code d}, the column matrix has
 * {@code K = C * kH * kW} rows and {@code P = OH * OW} columns:
 * <pre>
 *   col[(c*kH + kh)*kW + kw][oh*OW + ow] = x[c][oh*sH - pH + kh*dH][ow*sW - pW + kw*dW]
 * </pre>
 * or 0 where that position falls in the padding. Row order matches a weight tensor
 * {@code [out, C, kH, kW]} flattened to {@code [out, K]}, so {@code out = W * col}. The column
 * matrix is written with a leading dimension {@code ldc >= P}, which lets several images share
 * one wide matrix ({@code [K, N*P]}, image n at column offset n*P).
 *
 * <p>{@link #col2im} is the transpose of that linear map: it adds every column entry back onto
 * the input position it was copied from, so it computes the input gradient from the column
 * gradient. Its additions run in the fixed order (c, kh, kw, oh, ow). Both are plain copies and
 * adds, identical in vector and scalar kernel mode.
 */
public final class Im2Col {
    private Im2Col() {}

    /** Fills the K x P column block at {@code col[colOff..]} (row stride ldc), padding included as zeros. */
    public static void im2col(float[] x, int xOff, int channels, int h, int w,
                              int kH, int kW, int sH, int sW, int pH, int pW, int dH, int dW,
                              int oh, int ow, float[] col, int colOff, int ldc) {
        for (int c = 0; c < channels; c++) {
            int plane = xOff + c * h * w;
            for (int kh = 0; kh < kH; kh++) {
                for (int kw = 0; kw < kW; kw++) {
                    int rowStart = colOff + ((c * kH + kh) * kW + kw) * ldc;
                    int shift = kw * dW - pW; // iw = j * sW + shift
                    int lo = validLow(shift, sW, ow), hi = validHigh(shift, sW, w, ow, lo);
                    for (int i = 0; i < oh; i++) {
                        int ih = i * sH + kh * dH - pH;
                        int dst = rowStart + i * ow;
                        if (ih < 0 || ih >= h) {
                            Arrays.fill(col, dst, dst + ow, 0f);
                            continue;
                        }
                        int src = plane + ih * w + shift;
                        if (lo > 0) Arrays.fill(col, dst, dst + lo, 0f);
                        if (sW == 1) {
                            System.arraycopy(x, src + lo, col, dst + lo, hi - lo);
                        } else {
                            for (int j = lo; j < hi; j++) col[dst + j] = x[src + j * sW];
                        }
                        if (hi < ow) Arrays.fill(col, dst + hi, dst + ow, 0f);
                    }
                }
            }
        }
    }

    /** Adds the K x P column block back onto the image at {@code x[xOff..]} (x must be initialised). */
    public static void col2im(float[] col, int colOff, int ldc, int channels, int h, int w,
                              int kH, int kW, int sH, int sW, int pH, int pW, int dH, int dW,
                              int oh, int ow, float[] x, int xOff) {
        for (int c = 0; c < channels; c++) {
            int plane = xOff + c * h * w;
            for (int kh = 0; kh < kH; kh++) {
                for (int kw = 0; kw < kW; kw++) {
                    int rowStart = colOff + ((c * kH + kh) * kW + kw) * ldc;
                    int shift = kw * dW - pW;
                    int lo = validLow(shift, sW, ow), hi = validHigh(shift, sW, w, ow, lo);
                    for (int i = 0; i < oh; i++) {
                        int ih = i * sH + kh * dH - pH;
                        if (ih < 0 || ih >= h) continue;
                        int src = rowStart + i * ow;
                        int dst = plane + ih * w + shift;
                        for (int j = lo; j < hi; j++) x[dst + j * sW] += col[src + j];
                    }
                }
            }
        }
    }

    /** First output column j whose input column j*s + shift is >= 0 (at most ow). */
    private static int validLow(int shift, int s, int ow) {
        if (shift >= 0) return 0;
        return Math.min(ow, (-shift + s - 1) / s);
    }

    /** One past the last output column j whose input column j*s + shift is < w (at least lo). */
    private static int validHigh(int shift, int s, int w, int ow, int lo) {
        int last = w - 1 - shift; // need j*s <= last
        if (last < 0) return lo;
        return Math.max(lo, Math.min(ow, last / s + 1));
    }
}
