package dev.descent.optim;

import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Invalid options fail at construction, with a message that names the option and the value. */
class ValidationTest {

    static void rejects(String option, String value, Executable make) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make, option);
        assertTrue(e.getMessage().contains(option), "message should name " + option + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(value), "message should show " + value + ": " + e.getMessage());
    }

    @Test
    void learningRate() {
        rejects("lr", "-0.1", () -> Optimizers.sgd(-0.1));
        rejects("lr", "NaN", () -> Optimizers.adam(Double.NaN));
        rejects("lr", "Infinity", () -> Optimizers.adamW(Double.POSITIVE_INFINITY, 0.01));
    }

    @Test
    void betas() {
        rejects("beta1", "1.0", () -> Optimizers.adam(1e-3, 1.0, 0.999, 1e-8, 0, false));
        rejects("beta2", "-0.1", () -> Optimizers.adamW(1e-3, 0.9, -0.1, 1e-8, 0, false));
        rejects("beta1", "1.5", () -> Optimizers.adamax(1e-3, 1.5, 0.999, 1e-8, 0));
        rejects("beta2", "1.0", () -> Optimizers.nadam(1e-3, 0.9, 1.0, 1e-8, 0, 4e-3));
        rejects("beta1", "-1.0", () -> Optimizers.radam(1e-3, -1, 0.999, 1e-8, 0));
        rejects("beta2", "2.0", () -> Optimizers.lion(1e-4, 0.9, 2.0, 0));
    }

    @Test
    void otherOptions() {
        rejects("eps", "-1.0E-8", () -> Optimizers.adam(1e-3, 0.9, 0.999, -1e-8, 0, false));
        rejects("weight_decay", "-0.01", () -> Optimizers.adamW(1e-3, -0.01));
        rejects("weight_decay", "-1.0", () -> Optimizers.sgd(0.1, 0, 0, false, -1));
        rejects("momentum", "-0.9", () -> Optimizers.sgd(0.1, -0.9));
        rejects("dampening", "-0.1", () -> Optimizers.sgd(0.1, 0.9, -0.1, false, 0));
        rejects("nesterov", "dampening 0.1", () -> Optimizers.sgd(0.1, 0.9, 0.1, true, 0));
        rejects("nesterov", "momentum 0.0", () -> Optimizers.sgd(0.1, 0, 0, true, 0));
        rejects("lr_decay", "-1.0", () -> Optimizers.adagrad(0.1, -1, 0, 1e-10, 0));
        rejects("initial_accumulator_value", "-0.5", () -> Optimizers.adagrad(0.1, 0, -0.5, 1e-10, 0));
        rejects("rho", "1.5", () -> Optimizers.adadelta(1.0, 1.5, 1e-6, 0));
        rejects("alpha", "-0.1", () -> Optimizers.rmsprop(0.01, -0.1, 1e-8, 0, false, 0));
        rejects("momentum", "-0.5", () -> Optimizers.rmsprop(0.01, 0.99, 1e-8, -0.5, false, 0));
        rejects("momentum_decay", "-0.004", () -> Optimizers.nadam(1e-3, 0.9, 0.999, 1e-8, 0, -4e-3));
    }

    @Test
    void parameters() {
        OptimizerSpec sgd = Optimizers.sgd(0.1);
        rejects("empty parameter list", "SGD", () -> sgd.bind(List.of()));
        Tensor w = Tensor.vector(1f, 2f);
        Map<String, Tensor> twice = new LinkedHashMap<>();
        twice.put("a", w);
        twice.put("b", w);
        rejects("'b' appears twice", "same tensor", () -> sgd.bind(twice));
        rejects("'0'", "view", () -> sgd.bind(List.of(Tensor.of(new float[] {1f, 2f, 3f, 4f}, 2, 2).transpose(0, 1))));
        rejects("'0'", "F64", () -> sgd.bind(List.of(Tensor.of(new double[] {1, 2}, 2))));
        rejects("parameter name", "a/b", () -> sgd.bind(Map.of("a/b", w)));
    }
}
