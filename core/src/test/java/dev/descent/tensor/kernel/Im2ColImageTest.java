package dev.descent.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.tensor.GlobalSettings;
import dev.descent.tensor.KernelMatrix;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * Whole-image im2col and col2im ({@link Im2Col#unfoldImage}, {@link Im2Col#foldImage}) against
 * their definitions, in vector mode (where stride-1 maps of at most one vector's width take
 * {@link VectorNarrowWindows}) and in scalar mode: same bits, and nothing written outside the
 * image's range. The images sit at the very start and the very end of exactly sized arrays, where
 * whole-vector loads would run out of bounds and the kernels must fall back to masked ones.
 */
@ExtendWith(GlobalSettings.class)
class Im2ColImageTest {
    /** h, w, kH, kW, sH, sW, pH, pW, dH, dW. */
    private static final int[][] WINDOWS = {
            {13, 13, 3, 3, 1, 1, 0, 0, 1, 1},   // the CNN benchmark's second convolution
            {14, 14, 3, 3, 1, 1, 1, 1, 1, 1},   // padded, output as wide as the input
            {14, 14, 3, 3, 1, 1, 2, 2, 1, 1},   // output 16 wide: a whole vector, wider than the input
            {16, 16, 3, 3, 1, 1, 0, 0, 1, 1},   // input a whole vector
            {12, 9, 3, 2, 1, 1, 1, 2, 2, 3},    // dilated, asymmetric padding
            {7, 5, 2, 3, 1, 1, 1, 0, 1, 1},     // small, kernel wider than tall
            {6, 6, 1, 1, 1, 1, 0, 0, 1, 1},     // 1x1
            {5, 4, 5, 4, 1, 1, 4, 3, 1, 1},     // padding as large as the kernel: rows of zeros only
            {11, 10, 3, 3, 2, 2, 1, 1, 1, 1},   // strided: the general loops
            {26, 26, 3, 3, 1, 1, 0, 0, 1, 1},   // wider than a vector: the general loops
    };

    private static Im2Col.Window window(int[] d) {
        int oh = (d[0] + 2 * d[6] - d[8] * (d[2] - 1) - 1) / d[4] + 1;
        int ow = (d[1] + 2 * d[7] - d[9] * (d[3] - 1) - 1) / d[5] + 1;
        return new Im2Col.Window(d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], oh, ow);
    }

    /** Receives one column-matrix entry and the input element it copies (-1 in the padding). */
    private interface Tap {
        void at(int colIndex, int xIndex);
    }

    /**
     * Every entry of one image's column matrix, in (c, kh, kw, i, j) order, with the input element
     * {@code x[c][i*sH + kh*dH - pH][j*sW + kw*dW - pW]} it copies: the definition both maps share.
     */
    private static void taps(int channels, Im2Col.Window s, Tap tap) {
        int p = s.oh() * s.ow();
        for (int c = 0; c < channels; c++) {
            for (int kh = 0; kh < s.kH(); kh++) {
                for (int kw = 0; kw < s.kW(); kw++) {
                    int row = ((c * s.kH() + kh) * s.kW() + kw) * p;
                    for (int i = 0; i < s.oh(); i++) {
                        for (int j = 0; j < s.ow(); j++) {
                            int ih = i * s.sH() + kh * s.dH() - s.pH(), iw = j * s.sW() + kw * s.dW() - s.pW();
                            boolean in = ih >= 0 && ih < s.h() && iw >= 0 && iw < s.w();
                            tap.at(row + i * s.ow() + j, in ? (c * s.h() + ih) * s.w() + iw : -1);
                        }
                    }
                }
            }
        }
    }

    /** im2col: each entry is its input element, 0 in the padding. */
    private static float[] unfoldDefinition(float[] x, int xOff, int channels, Im2Col.Window s) {
        float[] col = new float[channels * s.kH() * s.kW() * s.oh() * s.ow()];
        taps(channels, s, (ci, xi) -> col[ci] = xi < 0 ? 0f : x[xOff + xi]);
        return col;
    }

    /** col2im: each input element is +0 plus every entry copied from it, in (kh, kw) order. */
    private static float[] foldDefinition(float[] col, int channels, Im2Col.Window s) {
        float[] x = new float[channels * s.h() * s.w()];
        taps(channels, s, (ci, xi) -> {
            if (xi >= 0) x[xi] += col[ci];
        });
        return x;
    }

    @ParameterizedTest
    @ArgumentsSource(KernelMatrix.Modes.class)
    void unfoldAndFoldMatchTheirDefinitionsInBothModes(boolean vector) {
        if (!KernelMode.vectorAvailable()) throw new AssertionError("tests run with --add-modules jdk.incubator.vector; the module is missing");
        SplittableRandom rnd = new SplittableRandom(11);
        int channels = 3;
        for (int[] d : WINDOWS) {
            Im2Col.Window s = window(d);
            int image = channels * s.h() * s.w(), cols = channels * s.kH() * s.kW() * s.oh() * s.ow();
            // {offset before, floats after}: flush with both ends of the arrays, then inside them.
            for (int[] place : new int[][] {{0, 0}, {5, 7}}) {
                float[] x = new float[place[0] + image + place[1]];
                for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
                float[] colIn = new float[place[0] + cols + place[1]];
                for (int i = 0; i < colIn.length; i++) colIn[i] = (float) rnd.nextGaussian();
                float[] unfolded = unfoldDefinition(x, place[0], channels, s);
                float[] folded = foldDefinition(java.util.Arrays.copyOfRange(colIn, place[0], place[0] + cols), channels, s);
                try (var mode = GlobalSettings.scoped(1, vector)) {
                    String what = java.util.Arrays.toString(d) + (vector ? " vector" : " scalar") + " at " + place[0];
                    float[] col = filled(place[0] + cols + place[1], 99f);
                    Im2Col.unfoldImage(x, place[0], channels, s, col, place[0]);
                    assertArrayEquals(unfolded, java.util.Arrays.copyOfRange(col, place[0], place[0] + cols), "unfold " + what);
                    assertUntouched(col, place[0], cols, 99f, "unfold " + what);
                    float[] gx = filled(place[0] + image + place[1], 99f);
                    Im2Col.foldImage(colIn, place[0], channels, s, gx, place[0]);
                    assertArrayEquals(folded, java.util.Arrays.copyOfRange(gx, place[0], place[0] + image), "fold " + what);
                    assertUntouched(gx, place[0], image, 99f, "fold " + what);
                }
            }
        }
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    private static void assertUntouched(float[] a, int from, int len, float v, String what) {
        for (int i = 0; i < a.length; i++) {
            if (i < from || i >= from + len) assertTrue(a[i] == v, what + ": wrote outside the image at " + i);
        }
    }
}
