package dev.descent.optim;

import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code maximize}: as in PyTorch, the gradient is negated before anything else (weight decay
 * included), so maximizing with gradients g is bit for bit minimizing with gradients -g.
 */
class MaximizeTest {

    @TestFactory
    Stream<DynamicTest> maximizingEqualsMinimizingTheNegatedGradient() {
        return Reference.optimizerCases().stream().map(c -> DynamicTest.dynamicTest(Reference.label(c), () -> {
            Map<String, Tensor> up = Reference.params(c);
            Map<String, Tensor> down = Reference.params(c);
            Optimizer max = Reference.spec(c).maximizing().bind(up);
            Optimizer min = Reference.spec(c).bind(down);
            for (int t = 0; t < c.get("grads").size(); t++) {
                Reference.setGrads(c, t, up);
                Reference.setGrads(c, t, down);
                for (Tensor p : down.values()) {
                    float[] g = p.grad().data();
                    for (int i = 0; i < g.length; i++) g[i] = -g[i];
                }
                max.step();
                min.step();
            }
            for (String k : up.keySet()) assertArrayEquals(down.get(k).data(), up.get(k).data(), k);
            assertTrue(!java.util.Arrays.equals(Reference.params(c).get("weight").data(), up.get("weight").data()), "something moved");
        }));
    }

    @Test
    void maximizingTheNegatedQuadraticFindsItsMaximum() {
        Tensor x = Tensor.zeros(4);
        Optimizer opt = Optimizers.adam(0.1).maximizing().bind(List.of(x));
        for (int t = 0; t < 400; t++) {
            Problems.quadratic(x);
            float[] g = x.grad().data();
            for (int i = 0; i < g.length; i++) g[i] = -g[i]; // gradient of -f
            opt.step();
            opt.zeroGrad();
        }
        assertTrue(ConvergenceTest.maxError(x.data(), Problems.TARGET) < 1e-4, java.util.Arrays.toString(x.data()));
    }

}
