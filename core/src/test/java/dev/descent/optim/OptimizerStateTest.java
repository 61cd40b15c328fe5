package dev.descent.optim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Save and restore: run k steps, take {@code state()}, copy the parameters (as a checkpoint of the
 * model would), bind a fresh optimizer to the copies, {@code loadState}, and continue; the result
 * must equal the uninterrupted run bit for bit, parameters and state, for every optimizer
 * configuration of the fixtures plus maximize, schedules and parameters that skip steps.
 */
class OptimizerStateTest {

    static Map<String, Tensor> copy(Map<String, Tensor> params) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        params.forEach((k, v) -> m.put(k, Tensor.of(v.data().clone(), v.shape()).requireGrad()));
        return m;
    }

    /** Gradients of step t: the fixture's, but on "skip" steps the bias gets none. */
    static void grads(JsonNode c, int t, Map<String, Tensor> params, boolean skipBiasSometimes) {
        Reference.setGrads(c, t, params);
        if (skipBiasSometimes && (t == 1 || t == 4 || t == 9)) params.get("bias").zeroGrad();
    }

    static void assertBitEqual(Map<String, Tensor> a, Map<String, Tensor> b, String label) {
        for (String k : a.keySet()) assertArrayEquals(a.get(k).data(), b.get(k).data(), label + ": " + k);
    }

    static void checkResume(String label, JsonNode c, OptimizerSpec spec, int split, boolean skip) {
        int steps = c.get("grads").size();
        Map<String, Tensor> straight = Reference.params(c);
        Optimizer a = spec.bind(straight);
        for (int t = 0; t < steps; t++) {
            grads(c, t, straight, skip);
            a.step();
            a.zeroGrad();
        }

        Map<String, Tensor> first = Reference.params(c);
        Optimizer b = spec.bind(first);
        for (int t = 0; t < split; t++) {
            grads(c, t, first, skip);
            b.step();
            b.zeroGrad();
        }
        OptimizerState saved = b.state();
        assertEquals(split, saved.step());
        Map<String, Tensor> resumed = copy(first);
        Optimizer r = spec.bind(resumed);
        r.loadState(saved);
        assertEquals(saved, r.state(), label + ": state after loadState");
        assertEquals(b.currentLr(), r.currentLr(), label + ": learning rate after resume");
        for (int t = split; t < steps; t++) {
            grads(c, t, resumed, skip);
            r.step();
            r.zeroGrad();
        }
        assertBitEqual(straight, resumed, label);
        assertEquals(a.state(), r.state(), label + ": final state");
        assertEquals(steps, r.stepCount());
    }

    @TestFactory
    Stream<DynamicTest> resumeEqualsUninterruptedForEveryFixtureOptimizer() {
        return Reference.optimizerCases().stream().map(c -> DynamicTest.dynamicTest(Reference.label(c), () -> {
            for (int split : new int[] {1, 5, 11}) checkResume(Reference.label(c) + " split " + split, c, Reference.spec(c), split, false);
        }));
    }

    @TestFactory
    Stream<DynamicTest> resumeWithMaximizeScheduleAndSkippedParameters() {
        // every rule, maximizing, with a decaying schedule, and a bias that has no gradient at some steps
        List<JsonNode> cases = Reference.optimizerCases();
        return cases.stream().map(c -> DynamicTest.dynamicTest(Reference.label(c), () -> {
            OptimizerSpec base = Reference.spec(c);
            double lr0 = base.lr().lr(0);
            OptimizerSpec spec = Optimizers.of(base.rule(), step -> lr0 * Math.pow(0.8, step), base.weightDecay()).maximizing();
            checkResume(Reference.label(c) + " maximizing, scheduled, skipping", c, spec, 5, true);
        }));
    }

    @Test
    void skippedParameterKeepsItsOwnStepCount() {
        JsonNode c = Reference.optimizerCases().stream().filter(n -> n.get("optimizer").asText().equals("Adam")).findFirst().orElseThrow();
        Map<String, Tensor> params = Reference.params(c);
        Optimizer opt = Reference.spec(c).bind(params);
        for (int t = 0; t < 6; t++) {
            grads(c, t, params, true); // the bias skips steps 2 and 5
            opt.step();
            opt.zeroGrad();
        }
        OptimizerState s = opt.state();
        assertEquals(6, s.step());
        assertEquals(6L, s.paramSteps().get("weight"));
        assertEquals(4L, s.paramSteps().get("bias"));
    }

    @Test
    void stateHasPyTorchKeysAndIsACopy() {
        Tensor w = Tensor.vector(1f, 2f);
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("0.weight", w);
        Optimizer opt = Optimizers.adam(0.1, 0.9, 0.999, 1e-8, 0, true).bind(params);
        w.setGrad(Tensor.vector(0.5f, -0.5f));
        opt.step();
        OptimizerState s = opt.state();
        assertEquals(Set.of("0.weight/exp_avg", "0.weight/exp_avg_sq", "0.weight/max_exp_avg_sq"), s.buffers().keySet());
        assertArrayEquals(new float[] {0.05f, -0.05f}, s.buffer("0.weight/exp_avg"), 1e-8f);

        float[] leaked = s.buffers().get("0.weight/exp_avg");
        leaked[0] = 99f;
        assertEquals(0.05f, s.buffer("0.weight/exp_avg")[0], 1e-8f, "buffers() returns copies");
        OptimizerState before = opt.state();
        opt.step();
        assertNotEquals(before, opt.state(), "a later step does not change a saved state");
        assertEquals(1, before.step());
    }

    @Test
    void loadStateNamesWhatIsWrong() {
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("0.weight", Tensor.vector(1f, 2f));
        Optimizer opt = Optimizers.adam(0.1).bind(params);
        OptimizerState good = opt.state();

        Map<String, float[]> missing = new LinkedHashMap<>(good.buffers());
        missing.remove("0.weight/exp_avg_sq");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> opt.loadState(new OptimizerState(3, good.paramSteps(), missing)));
        assertTrue(e.getMessage().contains("0.weight/exp_avg_sq"), e.getMessage());

        Map<String, float[]> shortBuffer = new LinkedHashMap<>(good.buffers());
        shortBuffer.put("0.weight/exp_avg", new float[1]);
        e = assertThrows(IllegalArgumentException.class, () -> opt.loadState(new OptimizerState(3, good.paramSteps(), shortBuffer)));
        assertTrue(e.getMessage().contains("0.weight/exp_avg") && e.getMessage().contains("expected 2"), e.getMessage());

        Map<String, float[]> extra = new LinkedHashMap<>(good.buffers());
        extra.put("0.weight/momentum_buffer", new float[2]);
        e = assertThrows(IllegalArgumentException.class, () -> opt.loadState(new OptimizerState(3, good.paramSteps(), extra)));
        assertTrue(e.getMessage().contains("0.weight/momentum_buffer"), e.getMessage());

        OptimizerState sgdState = Optimizers.sgd(0.1, 0.9).bind(copy(params)).state();
        e = assertThrows(IllegalArgumentException.class, () -> opt.loadState(sgdState));
        assertTrue(e.getMessage().contains("missing buffer '0.weight/exp_avg'"), e.getMessage());

        assertEquals(good, opt.state(), "a failed load changes nothing");
        assertThrows(IllegalArgumentException.class, () -> new OptimizerState(-1, Map.of(), Map.of()));
    }

    @Test
    void stateIsRefusedInTheMiddleOfAnAccumulation() {
        Tensor w = Tensor.vector(1f);
        Optimizer opt = Optimizers.sgd(0.1).accumulate(Accumulation.every(2)).bind(List.of(w));
        w.setGrad(Tensor.vector(1f));
        opt.step();
        IllegalStateException e = assertThrows(IllegalStateException.class, opt::state);
        assertTrue(e.getMessage().contains("1 of 2"), e.getMessage());
        opt.step();
        assertEquals(1, opt.state().step());
    }

    @Test
    void listParametersAreNamedByIndex() {
        List<Tensor> list = new ArrayList<>(List.of(Tensor.vector(1f), Tensor.vector(2f, 3f)));
        Optimizer opt = Optimizers.sgd(0.1, 0.9).bind(list);
        assertEquals(List.of("0", "1"), List.copyOf(opt.parameters().keySet()));
        assertEquals(Set.of("0/momentum_buffer", "1/momentum_buffer"), opt.state().buffers().keySet());
    }
}
