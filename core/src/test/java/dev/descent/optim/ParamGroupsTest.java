package dev.descent.optim;

import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parameter groups: selection by glob, regex and kind; per-group learning rate, schedule and decay. */
class ParamGroupsTest {

    /** A small model's parameters in state_dict order. */
    static Map<String, Tensor> model() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("0.weight", Tensor.of(new float[] {1f, 2f, 3f, 4f}, 2, 2));
        m.put("0.bias", Tensor.vector(1f, -1f));
        m.put("norm.weight", Tensor.vector(2f, 2f));
        m.put("1.weight", Tensor.of(new float[] {-1f, 0.5f, 2f, -2f}, 2, 2));
        m.put("1.bias", Tensor.vector(0.5f, 0.25f));
        return m;
    }

    static void setGrads(Map<String, Tensor> params, float value) {
        for (Tensor p : params.values()) p.setGrad(Tensor.full(value, p.shape()));
    }

    @Test
    void eachGroupUsesItsOwnLearningRate() {
        Map<String, Tensor> params = model();
        Map<String, float[]> before = new LinkedHashMap<>();
        params.forEach((k, v) -> before.put(k, v.data().clone()));
        Optimizer opt = Optimizers.sgd(0.1).withGroups(ParamGroups.glob("1.*").withLr(0.5)).bind(params);
        assertEquals(List.of("0.weight", "0.bias", "norm.weight"), opt.groups().get(0).params());
        assertEquals(List.of("1.weight", "1.bias"), opt.groups().get(1).params());
        assertEquals(0.1, opt.currentLr(0));
        assertEquals(0.5, opt.currentLr(1));

        setGrads(params, 1f);
        opt.step();
        for (String k : params.keySet()) {
            float lr = k.startsWith("1.") ? 0.5f : 0.1f;
            float[] want = before.get(k).clone();
            for (int i = 0; i < want.length; i++) want[i] = want[i] + -lr * 1f;
            assertArrayEquals(want, params.get(k).data(), k);
        }
    }

    @Test
    void noDecayOnBiasAndNormExemptsVectorsAndBiases() {
        Map<String, Tensor> params = model();
        Map<String, float[]> before = new LinkedHashMap<>();
        params.forEach((k, v) -> before.put(k, v.data().clone()));
        double lr = 0.1;
        double wd = 0.5;
        Optimizer opt = Optimizers.adamW(lr, wd).withGroups(ParamGroups.noDecayOnBiasAndNorm()).bind(params);
        assertEquals("no_decay", opt.groups().get(1).label());
        assertEquals(List.of("0.bias", "norm.weight", "1.bias"), opt.groups().get(1).params());
        assertEquals(0.0, opt.groups().get(1).weightDecay());
        assertEquals(wd, opt.groups().get(0).weightDecay());

        // zero gradients: Adam's step is 0 / (0 + eps) = 0, so only the decoupled decay moves anything
        setGrads(params, 0f);
        opt.step();
        float shrink = (float) (1 - lr * wd);
        for (String k : params.keySet()) {
            float[] want = before.get(k).clone();
            if (k.equals("0.weight") || k.equals("1.weight")) for (int i = 0; i < want.length; i++) want[i] = want[i] * shrink;
            assertArrayEquals(want, params.get(k).data(), k);
        }
    }

    @Test
    void coupledDecayPerGroupWithSgd() {
        Map<String, Tensor> params = model();
        float w0 = params.get("0.weight").data()[0];
        float b0 = params.get("0.bias").data()[0];
        Optimizer opt = Optimizers.sgd(0.1, 0, 0, false, 0.5).withGroups(ParamGroups.regex(".*\\.bias").withWeightDecay(0.0)).bind(params);
        setGrads(params, 0f);
        opt.step();
        assertEquals(w0 + -0.1f * (0f + 0.5f * w0), params.get("0.weight").data()[0]);
        assertEquals(b0, params.get("0.bias").data()[0], "no decay on biases");
    }

    @Test
    void firstMatchingGroupWinsAndGroupsMayUseSchedules() {
        Map<String, Tensor> params = model();
        Optimizer opt = Optimizers.adam(1e-3)
                .withGroups(ParamGroups.where("head", ParamSelector.names("1.weight", "1.bias")).withLr(step -> 0.01 / (1 + step)),
                        ParamGroups.glob("*.bias").withLr(0.5))
                .bind(params);
        assertEquals(List.of("1.weight", "1.bias"), opt.groups().get(1).params());
        assertEquals(List.of("0.bias"), opt.groups().get(2).params());
        assertEquals(0.01, opt.currentLr(1));
        setGrads(params, 1f);
        opt.step();
        opt.step();
        assertEquals(0.01 / 3, opt.currentLr(1), 1e-15, "schedule evaluated at the step count");
        assertEquals(1e-3, opt.currentLr());
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> opt.currentLr(3));
        assertTrue(e.getMessage().contains("default, head, *.bias"), e.getMessage());
    }

    @Test
    void globMatchesWholeNamesAcrossDots() {
        Tensor t = Tensor.vector(1f);
        assertTrue(ParamSelector.glob("*.bias").matches("encoder.layers.0.bias", t));
        assertTrue(!ParamSelector.glob("*.bias").matches("bias_scale", t));
        assertTrue(ParamSelector.glob("layer?.weight").matches("layer3.weight", t));
        assertTrue(!ParamSelector.glob("layer?.weight").matches("layer10.weight", t));
        assertTrue(!ParamSelector.glob("0.w[eight").matches("0.weight", t), "regex characters are literal in a glob");
    }

    @Test
    void groupsValidateTheirOptions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParamGroups.glob("*.bias").withWeightDecay(-1));
        assertTrue(e.getMessage().contains("weight_decay of group '*.bias'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ParamGroups.glob("*.bias").withLr(-0.1));
        assertTrue(e.getMessage().contains("lr"), e.getMessage());
    }

    @Test
    void aScheduleThatGoesNegativeIsReportedWithGroupAndStep() {
        Map<String, Tensor> params = model();
        Optimizer opt = Optimizers.sgd(step -> 0.1 - 0.1 * step, 0, 0, false, 0)
                .withGroups(ParamGroups.glob("*.bias").withLr(0.1)).bind(params);
        setGrads(params, 1f);
        opt.step();
        opt.step(); // lr 0 at step 1 is fine
        float[] before = params.get("0.weight").data().clone();
        IllegalStateException e = assertThrows(IllegalStateException.class, opt::step);
        assertTrue(e.getMessage().contains("group 'default'") && e.getMessage().contains("at step 2"), e.getMessage());
        assertArrayEquals(before, params.get("0.weight").data(), "nothing changes");
        assertEquals(2, opt.stepCount());
    }
}
