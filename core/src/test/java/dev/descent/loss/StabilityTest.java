package dev.descent.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Extreme inputs in float32, the training type: logits of size 1e4 (exp overflows float32 beyond
 * 88), probabilities of exactly 0 and 1, masked (-infinity) logits and zero KL targets must give
 * finite losses and gradients with the values PyTorch gives.
 */
class StabilityTest {
    private static Tensor matrix(int rows, int cols, float... values) {
        return Tensor.of(values, rows, cols);
    }

    private static void assertAllFinite(String what, Tensor t) {
        for (double v : t.toDoubleArray()) assertTrue(Double.isFinite(v), what + " has a non-finite value: " + t);
    }

    private static void assertValues(String what, double[] expected, Tensor actual, double relative) {
        double[] a = actual.toDoubleArray();
        assertEquals(expected.length, a.length, what);
        for (int i = 0; i < a.length; i++) {
            assertEquals(expected[i], a[i], relative * Math.max(1, Math.abs(expected[i])), what + "[" + i + "]");
        }
    }

    @Test
    void crossEntropyWithHugeLogits() {
        Tensor logits = matrix(2, 3, 1e4f, -1e4f, 0f, -1e4f, 1e4f, 0f).requireGrad();
        Tensor loss = Losses.crossEntropy().apply(logits, Tensor.vector(0, 0));
        // row 0 is certain and right (loss 0), row 1 certain and wrong (loss 2e4): mean 1e4
        assertEquals(1e4, loss.item(), 1e-3);
        loss.backward();
        // (softmax - onehot) / N
        assertValues("gradient", new double[] {0, 0, 0, -0.5, 0.5, 0}, logits.grad(), 1e-6);
    }

    @Test
    void crossEntropyWithHugeLogitsAndSmoothingAndWeights() {
        Tensor logits = matrix(2, 3, 1e4f, -1e4f, 0f, -1e4f, 1e4f, 0f).requireGrad();
        Tensor w = Tensor.vector(1f, 2f, 3f);
        Tensor loss = Losses.crossEntropy(w, -100, 0.1).apply(logits, Tensor.vector(0, 2));
        // log-probabilities: row 0 (0, -2e4, -1e4), row 1 (-2e4, 0, -1e4); e/C = 0.1/3
        double row0 = 0.9 * 1 * 0 + 0.1 / 3 * (1 * 0 + 2 * 2e4 + 3 * 1e4);
        double row1 = 0.9 * 3 * 1e4 + 0.1 / 3 * (1 * 2e4 + 2 * 0 + 3 * 1e4);
        assertEquals((row0 + row1) / (1 + 3), loss.item(), 1e-6 * loss.item());
        loss.backward();
        assertAllFinite("gradient", logits.grad());
    }

    @Test
    void maskedLogitsOfMinusInfinityGiveAFiniteLoss() {
        float inf = Float.NEGATIVE_INFINITY;
        Tensor logits = matrix(1, 3, 0f, inf, 2f).requireGrad();
        Tensor loss = Losses.crossEntropy().apply(logits, Tensor.vector(2));
        assertEquals(Math.log(1 + Math.exp(2)) - 2, loss.item(), 1e-6);
        loss.backward();
        double p0 = 1 / (1 + Math.exp(2));
        assertValues("gradient", new double[] {p0, 0, (1 - p0) - 1}, logits.grad(), 1e-6);
    }

    @Test
    void bceWithLogitsOfHugeMagnitude() {
        Tensor x = Tensor.vector(1e4f, -1e4f, 1e4f, -1e4f, 0f).requireGrad();
        Tensor y = Tensor.vector(1f, 0f, 0f, 1f, 1f);
        Tensor loss = Losses.bceWithLogits(null, null, Reduction.NONE).apply(x, y);
        assertValues("loss", new double[] {0, 0, 1e4, 1e4, Math.log(2)}, loss, 1e-6);
        loss.sum().backward();
        // sigmoid(x) - y, exact at x = 0 too
        assertValues("gradient", new double[] {0, 0, 1, -1, -0.5}, x.grad(), 1e-6);
    }

    @Test
    void bceWithLogitsPosWeightOfHugeMagnitude() {
        Tensor x = Tensor.vector(-1e4f, 1e4f).requireGrad();
        Tensor y = Tensor.vector(1f, 0f);
        Tensor loss = Losses.bceWithLogits(Tensor.vector(2f, 2f), null, Reduction.SUM).apply(x, y);
        assertEquals(2e4 + 1e4, loss.item(), 1e-2);
        loss.backward();
        // (1 + (p - 1) y) sigmoid(x) - p y
        assertValues("gradient", new double[] {-2, 1}, x.grad(), 1e-6);
    }

    @Test
    void bceAtExactZeroAndOneClampsTheLogAndKeepsPyTorchsGradient() {
        Tensor p = Tensor.vector(0f, 1f, 0f, 1f).requireGrad();
        Tensor y = Tensor.vector(1f, 0f, 0f, 1f);
        Tensor loss = Losses.bce(null, Reduction.NONE).apply(p, y);
        assertValues("loss", new double[] {100, 100, 0, 0}, loss, 1e-7);
        loss.sum().backward();
        // (x - y) / max(x (1 - x), 1e-12): large and pointing the right way where the loss is large
        assertValues("gradient", new double[] {-1e12, 1e12, 0, 0}, p.grad(), 1e-6);
    }

    @Test
    void multiMarginWithHugeScores() {
        Tensor x = matrix(2, 3, 1e4f, -1e4f, 0f, 0f, 1e4f, -1e4f).requireGrad();
        Tensor loss = Losses.multiMargin(2, 1.0, null, Reduction.SUM).apply(x, Tensor.vector(1, 1));
        // sample 0: hinges (1 + 2e4)^2 and (1 + 1e4)^2; sample 1: none; each divided by C = 3
        double expected = ((1 + 2e4) * (1 + 2e4) + (1 + 1e4) * (1 + 1e4)) / 3;
        assertEquals(expected, loss.item(), 1e-6 * expected);
        loss.backward();
        assertAllFinite("gradient", x.grad());
    }

    @Test
    void klDivWithZeroTargets() {
        Tensor logq = Tensor.vector(-1f, -2f, -0.5f).requireGrad();
        Tensor p = Tensor.vector(0f, 0.5f, 0.5f).requireGrad();
        Tensor loss = Losses.klDiv(false, Reduction.SUM).apply(logq, p);
        assertEquals(0.5 * Math.log(0.5) * 2 - 0.5 * -2 - 0.5 * -0.5, loss.item(), 1e-6);
        loss.backward();
        assertValues("input gradient", new double[] {0, -0.5, -0.5}, logq.grad(), 1e-6);
        assertAllFinite("target gradient", p.grad());
    }
}
