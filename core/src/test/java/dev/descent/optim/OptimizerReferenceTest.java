package dev.descent.optim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Replays every case of optimizers.json (PyTorch 1.13, float32): at step t the gradients
 * grads[t] are set, one step is taken, and every parameter element must equal expected[t] within
 * {@link Reference#TOLERANCE} (see there for why the check is abs/rel combined).
 */
class OptimizerReferenceTest {

    @Test
    void fixtureCoversEveryOptimizer() {
        Set<String> names = new HashSet<>();
        for (JsonNode c : Reference.optimizerCases()) names.add(c.get("optimizer").asText());
        assertEquals(Set.of("SGD", "Adagrad", "Adadelta", "RMSprop", "Adam", "AdamW", "Adamax", "NAdam", "RAdam", "Lion"), names);
        assertEquals(19, Reference.optimizerCases().size());
    }

    @TestFactory
    Stream<DynamicTest> replaysEveryCase() {
        return Reference.optimizerCases().stream().map(c -> DynamicTest.dynamicTest(Reference.label(c), () -> replay(c)));
    }

    private static void replay(JsonNode c) {
        Map<String, Tensor> params = Reference.params(c);
        Optimizer opt = Reference.spec(c).bind(params);
        JsonNode expected = c.get("expected");
        assertEquals(12, expected.size());
        double worst = 0;
        for (int t = 0; t < expected.size(); t++) {
            Reference.setGrads(c, t, params);
            assertTrue(opt.step().applied());
            opt.zeroGrad();
            int k = 0;
            for (Map.Entry<String, Tensor> e : params.entrySet()) {
                float[] want = Reference.floats(expected.get(t).get(k++));
                float[] got = e.getValue().data();
                assertEquals(want.length, got.length);
                for (int i = 0; i < got.length; i++) {
                    double err = Math.abs(got[i] - want[i]) / Math.max(1.0, Math.abs(want[i]));
                    worst = Math.max(worst, err);
                    if (!Reference.close(got[i], want[i])) {
                        fail(Reference.label(c) + ": step " + (t + 1) + ", " + e.getKey() + "[" + i + "] = " + got[i]
                                + ", PyTorch " + want[i] + " (scaled error " + err + ")");
                    }
                }
            }
        }
        assertEquals(12, opt.stepCount());
        System.out.printf("%-60s worst scaled error %.2e%n", Reference.label(c), worst);
    }
}
