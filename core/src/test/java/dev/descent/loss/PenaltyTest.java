package dev.descent.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * L1/L2 penalties: values, gradients, selection by name and the loss decorator. Float64 with
 * small exact inputs, so values and gradients are exact up to a few ulp; 1e-12 is asserted.
 */
class PenaltyTest {
    static final double EXACT = 1e-12;

    private static Tensor param(double... v) {
        return Tensor.of(v.clone(), v.length).requireGrad();
    }

    @Test
    void l2ValueAndGradient() {
        Tensor a = param(1, -2, 0.5), b = param(3);
        Tensor p = Penalties.l2(0.1, List.of(a, b));
        assertEquals(0.1 * (1 + 4 + 0.25 + 9), p.item(), EXACT);
        p.backward();
        assertArrayEquals(new double[] {0.2, -0.4, 0.1}, a.grad().toDoubleArray(), EXACT, "2 lambda w");
        assertArrayEquals(new double[] {0.6}, b.grad().toDoubleArray(), EXACT);
    }

    @Test
    void l1ValueAndGradientWithZeroSubgradient() {
        Tensor a = param(1, -2, 0);
        Tensor p = Penalties.l1(0.5, List.of(a));
        assertEquals(0.5 * 3, p.item(), EXACT);
        p.backward();
        assertArrayEquals(new double[] {0.5, -0.5, 0}, a.grad().toDoubleArray(), EXACT, "lambda sign(w), 0 at 0");
    }

    @Test
    void coupledWeightDecayEqualsHalfLambdaL2() {
        // PyTorch's weight_decay = wd adds wd * w to the gradient: the gradient of l2(wd / 2)
        double wd = 0.01;
        Tensor w = param(0.3, -1.7, 2.0);
        Penalties.l2(wd / 2, List.of(w)).backward();
        double[] v = w.toDoubleArray(), g = w.grad().toDoubleArray();
        for (int i = 0; i < v.length; i++) assertEquals(wd * v[i], g[i], EXACT);
    }

    private static Map<String, Tensor> model() {
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("0.weight", param(1, 2));
        params.put("0.bias", param(5));
        params.put("2.weight", param(-3));
        params.put("2.bias", param(7));
        return params;
    }

    @Test
    void selectionByNameLeavesBiasesAlone() {
        Map<String, Tensor> params = model();
        Tensor p = Penalties.l2(1.0, params, Penalties.notBias());
        assertEquals(1 + 4 + 9, p.item(), EXACT);
        p.backward();
        assertArrayEquals(new double[] {2, 4}, params.get("0.weight").grad().toDoubleArray(), EXACT);
        assertArrayEquals(new double[] {-6}, params.get("2.weight").grad().toDoubleArray(), EXACT);
        assertNull(params.get("0.bias").grad(), "biases are not penalized");
        assertNull(params.get("2.bias").grad());
        assertEquals(2, Penalties.select(params, Penalties.namesMatching(".*\\.weight")).size());
        assertEquals(12.0, Penalties.l1(1.0, params, Penalties.namesMatching("\\d+\\.bias")).item(), EXACT);
    }

    @Test
    void aPatternThatSelectsNothingIsAnError() {
        var e = assertThrows(IllegalArgumentException.class, () -> Penalties.l2(1.0, model(), Penalties.namesMatching("weight")));
        assertTrue(e.getMessage().contains("0.weight"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Penalty.l1(1.0, model(), name -> name.startsWith("fc")));
    }

    @Test
    void badLambdaOrNoParametersAreErrors() {
        assertThrows(IllegalArgumentException.class, () -> Penalties.l2(-1e-4, List.of(param(1))));
        assertThrows(IllegalArgumentException.class, () -> Penalty.l2(Double.NaN, List.of(param(1))));
        var e = assertThrows(IllegalArgumentException.class, () -> Penalties.l1(1.0, List.of()));
        assertTrue(e.getMessage().contains("no parameters"), e.getMessage());
    }

    @Test
    void withPenaltyAddsTheTermAndItsGradientAndReevaluatesIt() {
        Map<String, Tensor> params = model();
        Tensor w = params.get("0.weight");
        Loss loss = Losses.withPenalty(Losses.mse(Reduction.SUM), Penalty.l2(0.5, params, Penalties.notBias()));

        // the "model output" is the weight itself, so both terms reach it
        Tensor target = Tensor.of(new double[] {0, 0}, 2);
        Tensor value = loss.apply(w, target);
        assertEquals((1 + 4) + 0.5 * (1 + 4 + 9), value.item(), EXACT);
        value.backward();
        assertArrayEquals(new double[] {2 * 1 + 1, 2 * 2 + 2}, w.grad().toDoubleArray(), EXACT, "2w from mse + 2 * 0.5 * w");

        w.data64()[0] = 10; // an optimizer step, in place
        assertEquals((100 + 4) + 0.5 * (100 + 4 + 9), loss.apply(w, target).item(), EXACT, "penalty sees the new value");
    }

    @Test
    void plusCombinesPenalties() {
        Tensor a = param(1, -2);
        Penalty elastic = Penalty.l1(0.1, List.of(a)).plus(Penalty.l2(0.01, List.of(a)));
        assertEquals(0.1 * 3 + 0.01 * 5, elastic.compute().item(), EXACT);
    }

    @Test
    void withPenaltyRefusesPerElementLosses() {
        Loss loss = Losses.withPenalty(Losses.mse(Reduction.NONE), Penalty.l2(0.1, List.of(param(1))));
        var e = assertThrows(IllegalArgumentException.class,
                () -> loss.apply(Tensor.of(new double[] {1, 2}, 2), Tensor.of(new double[] {0, 0}, 2)));
        assertTrue(e.getMessage().contains("[2]") && e.getMessage().contains("NONE"), e.getMessage());
    }
}
