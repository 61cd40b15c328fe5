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
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Replays clipping.json (clip_grad_norm_ with L2 and infinity norms, clip_grad_value_) and more. */
class GradClipTest {

    private static List<JsonNode> cases() {
        List<JsonNode> out = new ArrayList<>();
        Reference.load("clipping.json").get("cases").forEach(out::add);
        return out;
    }

    /** Parameters named "p0", "p1", ... holding the case's gradients (values of the params do not matter). */
    private static Map<String, Tensor> withGrads(JsonNode grads) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < grads.size(); i++) {
            float[] g = Reference.floats(grads.get(i));
            Tensor p = Tensor.zeros(g.length);
            p.setGrad(Tensor.of(g, g.length));
            m.put("p" + i, p);
        }
        return m;
    }

    private static void assertGrads(String label, JsonNode expected, Map<String, Tensor> params) {
        int k = 0;
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            float[] want = Reference.floats(expected.get(k++));
            float[] got = e.getValue().grad().data();
            for (int i = 0; i < got.length; i++) {
                if (!Reference.close(got[i], want[i])) fail(label + ": " + e.getKey() + "[" + i + "] = " + got[i] + ", PyTorch " + want[i]);
            }
        }
    }

    private static double normType(JsonNode options) {
        JsonNode n = options.get("norm_type");
        return n.isTextual() && n.asText().equals("inf") ? Double.POSITIVE_INFINITY : n.asDouble();
    }

    @Test
    void fixtureHasNormAndValueCases() {
        List<JsonNode> cs = cases();
        assertEquals(4, cs.size());
        assertTrue(cs.stream().anyMatch(c -> c.get("clip").asText().equals("value")));
        assertTrue(cs.stream().anyMatch(c -> c.path("options").path("norm_type").asText().equals("inf")));
    }

    @TestFactory
    Stream<DynamicTest> replaysEveryCaseAsFunction() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.get("clip") + " " + c.get("options"), () -> {
            Map<String, Tensor> params = withGrads(c.get("grads"));
            JsonNode o = c.get("options");
            if (c.get("clip").asText().equals("norm")) {
                double total = GradClip.clipGradNorm(params, o.get("max_norm").asDouble(), normType(o), true);
                double want = c.get("expected_total_norm").asDouble();
                assertTrue(Reference.close(total, want), "total norm " + total + ", PyTorch " + want);
            } else {
                GradClip.clipGradValue(params, o.get("clip_value").asDouble());
            }
            assertGrads(c.get("options").toString(), c.get("expected"), params);
        }));
    }

    @TestFactory
    Stream<DynamicTest> replaysEveryCaseAsOptimizerTransform() {
        // SGD with lr 1 from zero parameters: after one step each parameter is minus its clipped gradient
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.get("clip") + " " + c.get("options"), () -> {
            Map<String, Tensor> params = withGrads(c.get("grads"));
            JsonNode o = c.get("options");
            OptimizerSpec spec = c.get("clip").asText().equals("norm")
                    ? Optimizers.sgd(1.0).clipByGlobalNorm(o.get("max_norm").asDouble(), normType(o))
                    : Optimizers.sgd(1.0).clipByValue(o.get("clip_value").asDouble());
            Optimizer opt = spec.bind(params);
            double l2 = GradClip.totalNorm(params, 2.0);
            StepReport report = opt.step();
            if (c.get("clip").asText().equals("norm")) {
                assertTrue(Reference.close(report.gradNorm(), c.get("expected_total_norm").asDouble()), "the clip's norm is the step's");
            } else {
                assertEquals(l2, report.gradNorm(), 0.0, "without a global-norm clip, the L2 norm measured before clipping by value");
            }
            int k = 0;
            for (Tensor p : params.values()) {
                float[] want = Reference.floats(c.get("expected").get(k++));
                float[] got = p.data();
                for (int i = 0; i < got.length; i++) assertTrue(Reference.close(-got[i], want[i]), "param " + i + ": " + got[i] + " vs -" + want[i]);
            }
        }));
    }

    @Test
    void belowMaxNormLeavesGradientsBitForBit() {
        Map<String, Tensor> params = withGrads(cases().get(2).get("grads"));
        float[] before = params.get("p0").grad().data().clone();
        double total = GradClip.clipGradNorm(params, 100.0);
        assertTrue(total < 100.0);
        assertArrayEquals(before, params.get("p0").grad().data());
    }

    @Test
    void otherPNormsMatchADirectComputation() {
        float[] a = {3f, -4f, 1f};
        float[] b = {-2f, 0.5f};
        for (double p : new double[] {1.0, 3.0, 0.5}) {
            Map<String, Tensor> params = new LinkedHashMap<>();
            params.put("a", grad(a.clone()));
            params.put("b", grad(b.clone()));
            double want = 0;
            for (float x : a) want += Math.pow(Math.abs(x), p);
            for (float x : b) want += Math.pow(Math.abs(x), p);
            want = Math.pow(want, 1 / p);
            double total = GradClip.clipGradNorm(params, 1.0, p, true);
            assertEquals(want, total, 1e-6 * want, "p = " + p);
            double coef = 1.0 / (want + 1e-6);
            assertEquals(a[0] * coef, params.get("a").grad().data()[0], 1e-6, "p = " + p);
            assertEquals(b[1] * coef, params.get("b").grad().data()[1], 1e-6, "p = " + p);
        }
    }

    @Test
    void nonFiniteGradientIsNamedAndNothingChanges() {
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("0.weight", grad(new float[] {1f, 2f, 3f}));
        params.put("0.bias", grad(new float[] {0.5f, Float.NaN}));
        NonFiniteGradientException e = assertThrows(NonFiniteGradientException.class,
                () -> GradClip.clipGradNorm(params, 1.0, 2.0, true));
        assertEquals("0.bias", e.parameter());
        assertEquals(1, e.index());
        assertTrue(e.getMessage().contains("'0.bias'") && e.getMessage().contains("NaN"), e.getMessage());
        assertArrayEquals(new float[] {1f, 2f, 3f}, params.get("0.weight").grad().data());

        // PyTorch's default (no error): the NaN norm is returned and the gradients become NaN
        assertTrue(Double.isNaN(GradClip.clipGradNorm(params, 1.0, 2.0, false)));
        assertTrue(Float.isNaN(params.get("0.weight").grad().data()[0]));
    }

    @Test
    void infinityIsCaughtByTheMaxNormToo() {
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("w", grad(new float[] {1f, Float.NEGATIVE_INFINITY}));
        NonFiniteGradientException e = assertThrows(NonFiniteGradientException.class,
                () -> GradClip.clipGradNorm(params, 1.0, Double.POSITIVE_INFINITY, true));
        assertEquals("w", e.parameter());
        assertEquals(Float.NEGATIVE_INFINITY, e.value());
    }

    @Test
    void optimizerRefusesANonFiniteUpdate() {
        Tensor w = Tensor.vector(1f, 2f);
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("layer.weight", w);
        Optimizer opt = Optimizers.adam(0.1).rejectNonFinite().bind(params);
        w.setGrad(Tensor.vector(0.1f, Float.POSITIVE_INFINITY));
        NonFiniteGradientException e = assertThrows(NonFiniteGradientException.class, opt::step);
        assertEquals("layer.weight", e.parameter());
        assertArrayEquals(new float[] {1f, 2f}, w.data(), "parameters untouched");
        assertEquals(0, opt.stepCount());

        Optimizer clipping = Optimizers.sgd(0.1).clipByGlobalNorm(1.0).bind(params);
        assertThrows(NonFiniteGradientException.class, clipping::step, "clipByGlobalNorm fails on non-finite norms");
    }

    @Test
    void clipByValueKeepsNaNAndClampsInfinity() {
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("w", grad(new float[] {Float.NaN, Float.POSITIVE_INFINITY, -0.1f}));
        GradClip.clipGradValue(params, 0.5);
        assertArrayEquals(new float[] {Float.NaN, 0.5f, -0.1f}, params.get("w").grad().data());
    }

    @Test
    void invalidOptionsAreNamed() {
        Map<String, Tensor> params = Map.of("w", grad(new float[] {1f}));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradNorm(params, -1.0))
                .getMessage().contains("max_norm"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradNorm(params, 1.0, 0.0, false))
                .getMessage().contains("norm_type"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradValue(params, 0.0))
                .getMessage().contains("clip_value"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Optimizers.sgd(0.1).clipByGlobalNorm(Double.NaN))
                .getMessage().contains("max_norm"));
    }

    private static Tensor grad(float[] g) {
        Tensor p = Tensor.zeros(g.length);
        p.setGrad(Tensor.of(g, g.length));
        return p;
    }
}
