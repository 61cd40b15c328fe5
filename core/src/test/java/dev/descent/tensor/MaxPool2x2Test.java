package dev.descent.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * The float32 2 x 2 / stride 2 fast path of max pooling against the general loops it replaces:
 * the same maxima (any NaN equal to any NaN, zeros by sign) and the same gradient bits, on data
 * with many ties (values from a small set, signed zeros included) and NaNs, even and odd plane
 * sizes (an odd last row or column belongs to no window and gets no gradient), on 1 and 3
 * threads.
 */
@ExtendWith(GlobalSettings.class)
class MaxPool2x2Test {
    private static final int[] K2 = {2, 2}, S2 = {2, 2}, P0 = {0, 0};

    /** Values from {-1, -0, 0, 0.5, 1, 2} so that windows tie often, with a NaN at rate {@code nanRate}. */
    private static Tensor tiedInput(SplittableRandom rnd, double nanRate, int... shape) {
        float[] pool = {-1f, -0f, 0f, 0.5f, 1f, 2f};
        int n = 1;
        for (int d : shape) n *= d;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = rnd.nextDouble() < nanRate ? Float.NaN : pool[rnd.nextInt(pool.length)];
        return Tensor.of(v, shape);
    }

    private static float[][] pass(Tensor input, Tensor upstream, boolean fast) {
        Tensor x = input.copy().requireGrad();
        Tensor out = Pooling.maxPool2d(x, K2, S2, P0, fast);
        out.backward(upstream);
        return new float[][] {out.toFloatArray(), x.grad().toFloatArray()};
    }

    @ParameterizedTest
    @ArgumentsSource(KernelMatrix.class)
    void fastPathMatchesTheGeneralLoops(boolean vectorized, int threads) {
        SplittableRandom rnd = new SplittableRandom(11);
        int[][] shapes = {{2, 3, 6, 8}, {3, 2, 7, 5}, {1, 1, 2, 2}, {4, 5, 11, 11}, {2, 2, 26, 26}, {1, 1, 3, 1 + 2}};
        try (var cell = GlobalSettings.scoped(threads, vectorized)) {
            for (int[] shape : shapes) {
                for (double nanRate : new double[] {0, 0.05, 0.6}) {
                    Tensor x = tiedInput(rnd, nanRate, shape);
                    int[] outShape = {shape[0], shape[1], shape[2] / 2, shape[3] / 2};
                    Tensor g = Tensor.randn(Generator.seeded(rnd.nextLong()), outShape);
                    float[][] general = pass(x, g, false), fast = pass(x, g, true);
                    String what = java.util.Arrays.toString(shape) + " NaN rate " + nanRate + " on " + threads + " threads";
                    for (int i = 0; i < general[0].length; i++) {
                        assertEquals(Float.floatToIntBits(general[0][i]), Float.floatToIntBits(fast[0][i]), what + ": output " + i);
                    }
                    for (int i = 0; i < general[1].length; i++) {
                        assertEquals(Float.floatToRawIntBits(general[1][i]), Float.floatToRawIntBits(fast[1][i]), what + ": gradient " + i);
                    }
                }
            }
        }
    }

    @Test
    void tiesGoToTheFirstAndNaNToTheLastNaN() {
        // Windows (row-major a, b, c, d): all equal; max at b and d; NaN at b and c; NaN at a only.
        float nan = Float.NaN;
        Tensor x = Tensor.of(new float[] {
            3, 3, 1, 5, nan, nan, nan, 0,
            3, 3, 2, 5, nan, 9, 4, 2}, 1, 1, 2, 8);
        float[][] r = pass(x, Tensor.of(new float[] {10, 20, 30, 40}, 1, 1, 1, 4), true);
        assertEquals(3f, r[0][0]);
        assertEquals(5f, r[0][1]);
        assertEquals(Float.NaN, r[0][2]);
        assertEquals(Float.NaN, r[0][3]);
        float[] expected = {
            10, 0, 0, 20, 0, 0, 40, 0,
            0, 0, 0, 0, 30, 0, 0, 0};
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], r[1][i], "gradient " + i);
    }
}
