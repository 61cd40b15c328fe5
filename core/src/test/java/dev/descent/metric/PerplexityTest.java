package dev.descent.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

class PerplexityTest {
    @Test
    void evenOddsOverKTokensHavePerplexityK() {
        assertEquals(5.0, Metrics.perplexity().compute(Tensor.full(0.7f, 3, 5), Tensor.of(new float[] {0, 4, 2}, 3)), 1e-12);
    }

    @Test
    void isTheExponentialOfTheMeanCrossEntropy() {
        Tensor logits = Tensor.of(new float[] {2, 0, -1, 0.5f, 0.5f, 3}, 2, 3);
        Tensor targets = Tensor.of(new float[] {0, 2}, 2);
        double l0 = Math.log(Math.exp(2) + 1 + Math.exp(-1)) - 2, l1 = Math.log(2 * Math.exp(0.5) + Math.exp(3)) - 3;
        assertEquals(Math.exp((l0 + l1) / 2), Metrics.perplexity().compute(logits, targets), 1e-6);
        assertEquals(false, Metrics.byName("perplexity").higherIsBetter());
    }
}
