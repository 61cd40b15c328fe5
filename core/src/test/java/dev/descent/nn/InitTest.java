package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.nn.Init.FanMode;
import dev.descent.nn.Init.Nonlinearity;
import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Initializer statistics. For n independent samples with variance s^2, the sample mean has
 * standard deviation s / sqrt(n); the sample second moment m2 = mean(x^2) (the variance, as the
 * true mean is 0) has standard deviation sqrt(Var(x^2) / n) = s^2 sqrt(k / n) with k = 4/5 for a
 * uniform (E x^4 = 9/5 s^4) and k = 2 for a normal (E x^4 = 3 s^4). Every check allows 5 such
 * standard deviations: a correct initializer fails with probability below 1e-6 (and the seeds are
 * fixed, so it is deterministic), while a wrong fan or gain (variance off by 2x for fan_in vs
 * fan_out below, or by 3x for a uniform bound taken as the standard deviation) is off by far more
 * than the 5 sd of about 1.3% (uniform) or 2% (normal) at n = 131072.
 */
class InitTest {
    private static final int OUT = 256, IN = 128, K = 2; // [256, 128, 2]: fan_in 256, fan_out 512

    private static double[] moments(Tensor t) {
        double[] v = t.toDoubleArray();
        double sum = 0, sq = 0;
        for (double x : v) {
            sum += x;
            sq += x * x;
        }
        return new double[] {sum / v.length, sq / v.length, v.length};
    }

    private static void assertStatistics(Tensor t, double variance, double fourthMomentRatio) {
        double[] m = moments(t);
        double n = m[2];
        assertEquals(0, m[0], 5 * Math.sqrt(variance / n), "mean");
        assertEquals(variance, m[1], 5 * variance * Math.sqrt((fourthMomentRatio - 1) / n), "variance");
    }

    private static void assertUniform(Tensor t, double bound) {
        // float32 rounding of a value just inside the bound may land one half-ulp outside it
        for (double v : t.toDoubleArray()) assertTrue(Math.abs(v) <= bound * (1 + 0x1p-24), v + " outside [-" + bound + ", " + bound + "]");
        assertStatistics(t, bound * bound / 3, 9.0 / 5);
    }

    private static void assertNormal(Tensor t, double std) {
        assertStatistics(t, std * std, 3);
    }

    private static Tensor weight() {
        return Tensor.zeros(OUT, IN, K);
    }

    @Test
    void fans() {
        assertEquals(IN * K, Init.fanIn(OUT, IN, K));
        assertEquals(OUT * K, Init.fanOut(OUT, IN, K));
        assertEquals(3 * 5 * 5, Init.fanIn(8, 3, 5, 5));
        assertEquals(4, Init.fanIn(7, 4));
        assertThrows(IllegalArgumentException.class, () -> Init.fanIn(5));
    }

    @Test
    void gains() {
        assertEquals(1, Init.gain(Nonlinearity.LINEAR, 0));
        assertEquals(1, Init.gain(Nonlinearity.SIGMOID, 0));
        assertEquals(5.0 / 3, Init.gain(Nonlinearity.TANH, 0));
        assertEquals(Math.sqrt(2), Init.gain(Nonlinearity.RELU, 0));
        assertEquals(Math.sqrt(2 / 1.0001), Init.gain(Nonlinearity.LEAKY_RELU, 0.01), 1e-15);
        assertEquals(Math.sqrt(1.0 / 3), Init.gain(Nonlinearity.LEAKY_RELU, Math.sqrt(5)), 1e-15);
    }

    @Test
    void xavierUniformAndNormal() {
        double fanSum = IN * K + OUT * K;
        assertUniform(Init.xavierUniform(weight(), 1.5, Generator.seeded(1)), 1.5 * Math.sqrt(6 / fanSum));
        assertNormal(Init.xavierNormal(weight(), 1.5, Generator.seeded(2)), 1.5 * Math.sqrt(2 / fanSum));
    }

    @Test
    void kaimingUniformAndNormalInBothModes() {
        double g = Math.sqrt(2);
        assertUniform(Init.kaimingUniform(weight(), 0, FanMode.FAN_IN, Nonlinearity.RELU, Generator.seeded(3)), g * Math.sqrt(3.0 / (IN * K)));
        assertUniform(Init.kaimingUniform(weight(), 0, FanMode.FAN_OUT, Nonlinearity.RELU, Generator.seeded(4)), g * Math.sqrt(3.0 / (OUT * K)));
        assertNormal(Init.kaimingNormal(weight(), 0, FanMode.FAN_IN, Nonlinearity.RELU, Generator.seeded(5)), g / Math.sqrt(IN * K));
        assertNormal(Init.kaimingNormal(weight(), 0.2, FanMode.FAN_OUT, Nonlinearity.LEAKY_RELU, Generator.seeded(6)),
                Math.sqrt(2 / 1.04) / Math.sqrt(OUT * K));
    }

    @Test
    void uniformNormalAndConstants() {
        Tensor u = Init.uniform(Tensor.zeros(100_000), 2, 4, Generator.seeded(7));
        for (double v : u.toDoubleArray()) assertTrue(v >= 2 && v <= 4);
        assertUniform(u.sub(3), 1);
        Tensor n = Init.normal(Tensor.zeros(100_000), 0, 0.5, Generator.seeded(8));
        assertNormal(n, 0.5);
        Tensor t = Tensor.zeros(3);
        assertSame(t, Init.ones(t));
        assertArrayEquals(new float[] {1, 1, 1}, t.toFloatArray());
        assertArrayEquals(new float[3], Init.zeros(t).toFloatArray());
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, Init.constant(t, 0.5).toFloatArray());
    }

    @Test
    void sameGeneratorStateSameValues() {
        float[] a = Init.xavierNormal(weight(), 1, Generator.seeded(9)).toFloatArray();
        float[] b = Init.xavierNormal(weight(), 1, Generator.seeded(9)).toFloatArray();
        assertArrayEquals(a, b);
    }

    @Test
    void linearAndConvDefaultsAreUniformOnOneOverSqrtFanIn() {
        Linear l = Linear.of(IN * K, OUT, Generator.seeded(10));
        double bound = 1 / Math.sqrt(IN * K);
        assertUniform(l.weight(), bound);
        for (double v : l.bias().toDoubleArray()) assertTrue(Math.abs(v) <= bound);

        // Conv2d fan_in = in/groups * kh * kw = 32/4 * 3 * 5 = 120
        Conv2d c = Conv2d.of(32, 64, new int[] {3, 5}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 4, true, Generator.seeded(11));
        assertArrayEquals(new int[] {64, 8, 3, 5}, c.weight().shape());
        assertUniform(c.weight(), 1 / Math.sqrt(120));
        for (double v : c.bias().toDoubleArray()) assertTrue(Math.abs(v) <= 1 / Math.sqrt(120));
    }

    @Test
    void embeddingIsStandardNormal() {
        assertNormal(Embedding.of(1000, 64, Generator.seeded(12)).weight(), 1);
    }
}
