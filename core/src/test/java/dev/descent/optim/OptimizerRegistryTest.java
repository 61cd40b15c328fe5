package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.registry.Values;
import dev.descent.schedule.Schedules;
import dev.descent.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The short factories of {@link Optimizers} take their defaults from {@link OptimizerRegistry}:
 * each must step exactly (bit for bit) as the long factory given PyTorch's documented defaults
 * (torch.optim's signatures), so moving the defaults into the registry changed no number.
 */
class OptimizerRegistryTest {
    /** Three steps on sum(w^2 + w^3) from w = (0.5, -1.5); the parameter's bits after. */
    private static float[] steps(OptimizerSpec spec) {
        Tensor w = Tensor.vector(0.5f, -1.5f).setRequiresGrad(true);
        Optimizer opt = spec.bind(Map.of("w", w));
        for (int i = 0; i < 3; i++) {
            opt.zeroGrad();
            w.mul(w).add(w.mul(w).mul(w)).sum().backward();
            opt.step();
        }
        return w.toFloatArray();
    }

    @Test
    void shortFactoriesStepAsTheLongOnesWithPyTorchsDefaults() {
        Map<String, Supplier<OptimizerSpec[]>> pairs = new LinkedHashMap<>();
        pairs.put("sgd", () -> new OptimizerSpec[] {Optimizers.sgd(0.1, 0.9), Optimizers.sgd(0.1, 0.9, 0, false, 0)});
        pairs.put("adagrad", () -> new OptimizerSpec[] {Optimizers.adagrad(0.1), Optimizers.adagrad(0.1, 0, 0, 1e-10, 0)});
        pairs.put("adadelta", () -> new OptimizerSpec[] {Optimizers.adadelta(1.0), Optimizers.adadelta(1.0, 0.9, 1e-6, 0)});
        pairs.put("rmsprop", () -> new OptimizerSpec[] {Optimizers.rmsprop(0.01), Optimizers.rmsprop(0.01, 0.99, 1e-8, 0, false, 0)});
        pairs.put("adam", () -> new OptimizerSpec[] {Optimizers.adam(0.1), Optimizers.adam(0.1, 0.9, 0.999, 1e-8, 0, false)});
        pairs.put("adamw", () -> new OptimizerSpec[] {Optimizers.adamW(0.1, 0.01), Optimizers.adamW(0.1, 0.9, 0.999, 1e-8, 0.01, false)});
        pairs.put("adamax", () -> new OptimizerSpec[] {Optimizers.adamax(0.1), Optimizers.adamax(0.1, 0.9, 0.999, 1e-8, 0)});
        pairs.put("nadam", () -> new OptimizerSpec[] {Optimizers.nadam(0.1), Optimizers.nadam(0.1, 0.9, 0.999, 1e-8, 0, 4e-3)});
        pairs.put("radam", () -> new OptimizerSpec[] {Optimizers.radam(0.1), Optimizers.radam(0.1, 0.9, 0.999, 1e-8, 0)});
        pairs.put("lion", () -> new OptimizerSpec[] {Optimizers.lion(0.01, 0.1), Optimizers.lion(0.01, 0.9, 0.99, 0.1)});
        assertTrue(OptimizerRegistry.REGISTRY.names().containsAll(pairs.keySet()), "every short factory is a registry row");
        for (var e : pairs.entrySet()) {
            OptimizerSpec[] p = e.getValue().get();
            float[] shortForm = steps(p[0]);
            assertTrue(shortForm[0] != 0.5f, e.getKey() + " moved the parameter");
            assertArrayEquals(steps(p[1]), shortForm, e.getKey());
        }
    }

    /** Each row's defaults, as {@code name=value} in the row's order, against PyTorch 2's signatures (Lion: the paper's). */
    @Test
    void defaultsAreTorchOptimsSignatures() {
        Map<String, String> torch = new LinkedHashMap<>(Map.of(
                "sgd", "lr=0.001 momentum=0.0 dampening=0.0 nesterov=false weight_decay=0.0 maximize=false",
                "adagrad", "lr=0.01 lr_decay=0.0 initial_accumulator_value=0.0 eps=1.0E-10 weight_decay=0.0 maximize=false",
                "adadelta", "lr=1.0 rho=0.9 eps=1.0E-6 weight_decay=0.0 maximize=false",
                "rmsprop", "lr=0.01 alpha=0.99 eps=1.0E-8 momentum=0.0 centered=false weight_decay=0.0 maximize=false",
                "adam", "lr=0.001 betas=[0.9, 0.999] eps=1.0E-8 amsgrad=false weight_decay=0.0 maximize=false",
                "adamw", "lr=0.001 betas=[0.9, 0.999] eps=1.0E-8 amsgrad=false weight_decay=0.01 maximize=false",
                "adamax", "lr=0.002 betas=[0.9, 0.999] eps=1.0E-8 weight_decay=0.0 maximize=false",
                "nadam", "lr=0.002 betas=[0.9, 0.999] eps=1.0E-8 weight_decay=0.0 momentum_decay=0.004 maximize=false",
                "radam", "lr=0.001 betas=[0.9, 0.999] eps=1.0E-8 weight_decay=0.0 maximize=false",
                "lion", "lr=1.0E-4 betas=[0.9, 0.99] weight_decay=0.0 maximize=false"));
        torch.put("asgd", "lr=0.01 lambd=1.0E-4 alpha=0.75 t0=1000000.0 weight_decay=0.0 maximize=false");
        for (var row : OptimizerRegistry.REGISTRY.rows()) {
            String got = String.join(" ", row.options().stream().map(o -> o.name() + "="
                    + (o.fallback() instanceof double[] d ? java.util.Arrays.toString(d) : o.fallback())).toList());
            assertEquals(torch.get(row.name()), got, row.name());
        }
    }

    @Test
    void aRowGivenMaximizeClimbs() {
        var row = OptimizerRegistry.REGISTRY.require("sgd");
        float[] down = steps(row.make(Schedules.constant(0.1)));
        float[] up = steps(row.make(Schedules.constant(0.1), Values.of(row).with("maximize", true)));
        assertTrue(down[0] < 0.5f && up[0] > 0.5f, down[0] + " " + up[0]);
    }

    @Test
    void valuesOfTheWrongTypeOrUndeclaredOptionsAreRefused() {
        var row = OptimizerRegistry.REGISTRY.require("adam");
        assertThrows(IllegalArgumentException.class, () -> Values.of(row).with("eps", 1));
        assertThrows(IllegalStateException.class, () -> Values.of(row).with("momentum", 0.9));
        var e = assertThrows(IllegalArgumentException.class, () -> OptimizerRegistry.REGISTRY.require("adamm"));
        assertTrue(e.getMessage().contains("choose from sgd, adagrad"), e.getMessage());
    }
}
