package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.tensor.GradCheck;
import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Activations beyond the fixture: defaults, options the fixture does not cover, stability far
 * from zero, and finite-difference gradient checks of the composed ones in float64 (inputs drawn
 * away from the kinks at 0 and at the softplus threshold, where the derivative jumps).
 */
class ActivationTest {
    private final Generator gen = Generator.seeded(41);

    /** Float64 inputs in [-3, 3] at least 0.01 away from 0. */
    private Tensor awayFromZero(int n) {
        double[] v = GradCheck.uniform(gen, 0.01, 3, n).toDoubleArray();
        for (int i = 0; i < n; i += 2) v[i] = -v[i];
        return Tensor.of(v, n);
    }

    @Test
    void leakyReluDefaultsToPyTorchsSlope() {
        assertEquals(0.01, Activations.leakyRelu().negativeSlope());
        assertArrayEquals(new float[] {-0.02f, 0f, 3f}, Activations.leakyRelu().forward(Tensor.vector(-2, 0, 3)).toFloatArray(), 1e-9f);
        assertArrayEquals(new float[] {-1f, 3f}, Activations.leakyRelu(0.5).forward(Tensor.vector(-2, 3)).toFloatArray(), 0f);
    }

    @Test
    void eluWithAlphaAndLargeInputs() {
        float[] y = Activations.elu(2).forward(Tensor.vector(-1, 1, 100)).toFloatArray();
        assertArrayEquals(new float[] {(float) (2 * Math.expm1(-1)), 1f, 100f}, y, 1e-6f);
        Tensor x = Tensor.vector(200f, -200f).requireGrad(); // exp(200) overflows float32
        Activations.elu().forward(x).sum().backward();
        assertArrayEquals(new float[] {1f, 0f}, x.grad().toFloatArray(), 0f, "no inf * 0 from the unselected branch");
    }

    @Test
    void softplusWithBetaAndThreshold() {
        Softplus sp = Activations.softplus(2, 5);
        // beta x = 4 <= 5: smooth; beta x = 6 > 5: linear
        float[] y = sp.forward(Tensor.vector(2f, 3f, -1f)).toFloatArray();
        assertArrayEquals(new float[] {(float) (Math.log1p(Math.exp(4)) / 2), 3f, (float) (Math.log1p(Math.exp(-2)) / 2)}, y, 1e-6f);
        Tensor x = Tensor.vector(1000f).requireGrad();
        Activations.softplus().forward(x).sum().backward();
        assertEquals(1f, x.grad().toFloatArray()[0]);
    }

    @Test
    void geluVariantsDiffer() {
        Tensor x = Tensor.vector(-2, -0.5f, 0.5f, 2);
        float[] exact = Activations.gelu().forward(x).toFloatArray(), approx = Activations.geluTanh().forward(x).toFloatArray();
        assertEquals(2 * 0.5 * (1 + erf(2 / Math.sqrt(2))), exact[3], 1e-6);
        boolean differ = false;
        for (int i = 0; i < 4; i++) {
            assertEquals(exact[i], approx[i], 1e-3, "the tanh form approximates the exact one");
            differ |= exact[i] != approx[i];
        }
        assertTrue(differ, "but is a different formula");
    }

    private static double erf(double z) { // Abramowitz-Stegun 7.1.26 is too coarse; integrate instead
        int n = 20000;
        double h = z / n, s = 0;
        for (int i = 0; i <= n; i++) s += (i == 0 || i == n ? 1 : i % 2 == 0 ? 2 : 4) * Math.exp(-Math.pow(i * h, 2));
        return 2 / Math.sqrt(Math.PI) * s * h / 3;
    }

    @Test
    void softmaxRowsSumToOneAlongTheChosenDimension() {
        Tensor x = Tensor.randn(gen, 3, 4);
        Tensor s0 = Activations.softmax(0).forward(x).sum(0, false), s1 = Activations.softmax(1).forward(x).sum(1, false);
        assertArrayEquals(new float[] {1, 1, 1, 1}, s0.toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {1, 1, 1}, s1.toFloatArray(), 1e-6f);
        assertFalse(java.util.Arrays.equals(Activations.logSoftmax(0).forward(x).toFloatArray(),
                Activations.logSoftmax(1).forward(x).toFloatArray()));
    }

    @Test void gradElu() { GradCheck.check("elu", in -> Activations.elu(1.5).forward(in[0]), awayFromZero(12)); }
    @Test void gradLeakyRelu() { GradCheck.check("leaky_relu", in -> Activations.leakyRelu(0.2).forward(in[0]), awayFromZero(12)); }
    @Test void gradGelu() { GradCheck.check("gelu", in -> Activations.gelu().forward(in[0]), GradCheck.randn(gen, 3, 4)); }
    @Test void gradGeluTanh() { GradCheck.check("gelu tanh", in -> Activations.geluTanh().forward(in[0]), GradCheck.randn(gen, 3, 4)); }
    @Test void gradSilu() { GradCheck.check("silu", in -> Activations.silu().forward(in[0]), GradCheck.randn(gen, 3, 4)); }

    @Test
    void gradSoftplusBothBranches() {
        // beta x ranges over [-6, 6] with threshold 4; keep away from beta x = 4 (x = 2)
        double[] v = {-3, -1.2, -0.1, 0.4, 1.1, 1.7, 2.3, 2.9};
        GradCheck.check("softplus beta 2", in -> Activations.softplus(2, 4).forward(in[0]), Tensor.of(v, v.length));
    }
}
