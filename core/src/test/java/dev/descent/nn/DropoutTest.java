package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DropoutTest {
    @Test
    void keepRateMatchesOneMinusPWithinFiveStandardDeviations() {
        // Kept count K ~ Binomial(n, 1 - p): mean n(1-p), sd sqrt(n p (1-p)) = 205 for n = 200000,
        // p = 0.3. |K - n(1-p)| <= 5 sd (0.5% of n) fails a correct mask with probability 6e-7,
        // and fails a mask that keeps with probability p instead, or 0.69 instead of 0.7.
        int n = 200_000;
        double p = 0.3;
        Tensor y = Dropout.of(p, Generator.seeded(21)).forward(Tensor.ones(n));
        long kept = Arrays.stream(y.toDoubleArray()).filter(v -> v != 0).count();
        double sd = Math.sqrt(n * p * (1 - p));
        assertEquals(n * (1 - p), kept, 5 * sd, "kept " + kept + " of " + n);
    }

    @Test
    void survivorsAreScaledByOneOverOneMinusPAndTheGradientIsTheMask() {
        double p = 0.25;
        Tensor x = Tensor.randn(Generator.seeded(22), 40, 50).requireGrad();
        Tensor y = Dropout.of(p, Generator.seeded(23)).forward(x);
        y.sum().backward();
        float[] xv = x.toFloatArray(), yv = y.toFloatArray(), g = x.grad().toFloatArray();
        float scale = (float) (1 / (1 - p));
        int zeros = 0;
        for (int i = 0; i < xv.length; i++) {
            if (yv[i] == 0) {
                zeros++;
                assertEquals(0f, g[i], "a dropped element gets no gradient");
            } else {
                assertEquals(xv[i] * scale, yv[i], 0f, "survivor " + i);
                assertEquals(scale, g[i], 0f, "gradient of a survivor");
            }
        }
        assertTrue(zeros > 0 && zeros < xv.length);
    }

    @Test
    void sameSeedSameMaskOtherSeedOtherMask() {
        Tensor x = Tensor.ones(1000);
        float[] a = Dropout.of(0.5, Generator.seeded(7)).forward(x).toFloatArray();
        float[] b = Dropout.of(0.5).forward(x, Generator.seeded(7)).toFloatArray();
        float[] c = Dropout.of(0.5, Generator.seeded(8)).forward(x).toFloatArray();
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
        // Successive calls draw fresh masks from the advancing generator.
        Dropout d = Dropout.of(0.5, Generator.seeded(7));
        assertFalse(Arrays.equals(d.forward(x).toFloatArray(), d.forward(x).toFloatArray()));
    }

    @Test
    void evalIsTheIdentityAndDrawsNothing() {
        Generator gen = Generator.seeded(9);
        long state = gen.state();
        Dropout d = Dropout.of(0.9, gen);
        d.eval();
        Tensor x = Tensor.randn(Generator.seeded(1), 5, 5);
        assertSame(x, d.forward(x));
        assertEquals(state, gen.state(), "no random numbers were used");
        d.train();
        assertFalse(Arrays.equals(x.toFloatArray(), d.forward(x).toFloatArray()));
    }

    @Test
    void trainingWithoutAGeneratorIsAClearErrorAndSetGeneratorFixesIt() {
        Sequential m = Sequential.of(Activations.relu(), Dropout.of(0.5));
        var e = assertThrows(IllegalStateException.class, () -> m.forward(Tensor.ones(4)));
        assertTrue(e.getMessage().contains("no generator"), e.getMessage());
        m.setGenerator(Generator.seeded(3));
        float[] a = m.forward(Tensor.ones(64)).toFloatArray();
        m.setGenerator(Generator.seeded(3));
        assertArrayEquals(a, m.forward(Tensor.ones(64)).toFloatArray(), "the whole model's randomness follows one seed");
    }

    @Test
    void extremeProbabilities() {
        Tensor x = Tensor.randn(Generator.seeded(2), 10);
        assertSame(x, Dropout.of(0).forward(x), "p = 0 is the identity");
        assertArrayEquals(new float[10], Dropout.of(1, Generator.seeded(2)).forward(x).toFloatArray(), 0f, "p = 1 drops everything (-0 for negative inputs, as PyTorch)");
        assertThrows(IllegalArgumentException.class, () -> Dropout.of(1.5));
        assertThrows(IllegalArgumentException.class, () -> Dropout.of(-0.1));
    }
}
