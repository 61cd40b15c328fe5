package dev.descent.cli.build;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.descent.cli.config.ConfigException;
import dev.descent.nn.Sequential;
import dev.descent.optim.Optimizer;
import dev.descent.schedule.Schedule;
import dev.descent.schedule.Schedules;
import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every name of every factory table builds, options reach the objects, and mistakes are caught. */
class FactoriesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static JsonNode yaml(String s) {
        try {
            return YAML.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void everyOptimizerBuildsAndStepsWithItsPyTorchOptions() {
        Map<String, String> options = new LinkedHashMap<>(Map.of(
                "sgd", "{name: sgd, lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: false, weight_decay: 0.01, maximize: false}",
                "adagrad", "{name: adagrad, lr: 0.1, lr_decay: 0.01, initial_accumulator_value: 0.1, eps: 1e-10, weight_decay: 0.0}",
                "adadelta", "{name: adadelta, lr: 1.0, rho: 0.9, eps: 1e-6}",
                "rmsprop", "{name: rmsprop, lr: 0.01, alpha: 0.9, eps: 1e-8, momentum: 0.5, centered: true}",
                "adam", "{name: adam, lr: 0.01, betas: [0.8, 0.99], eps: 1e-8, amsgrad: true}",
                "adamw", "{name: adamw, lr: 0.01, weight_decay: 0.1}",
                "adamax", "{name: adamax, betas: [0.9, 0.999]}",
                "nadam", "{name: nadam, momentum_decay: 0.004}",
                "radam", "{name: radam, lr: 0.01}",
                "lion", "{name: lion, lr: 0.001, betas: [0.9, 0.99], weight_decay: 0.1}"));
        options.put("asgd", "{name: asgd, lr: 0.1, lambd: 0.001, alpha: 0.75, t0: 10, weight_decay: 0.01}");
        assertEquals(OptimizerFactory.NAMES.size(), options.size());
        for (String name : OptimizerFactory.NAMES) {
            var head = OptimizerFactory.head(yaml(options.get(name)));
            Tensor w = Tensor.vector(1f, -2f).setRequiresGrad(true);
            Optimizer opt = OptimizerFactory.build(head, Schedules.constant(head.lr())).bind(Map.of("w", w));
            w.mul(w).sum().backward();
            opt.step();
            assertNotEquals(1f, w.toFloatArray()[0], name + " must move the parameter");
        }
    }

    @Test
    void anOptionOfAnotherOptimizerIsRejectedWithTheValidOnes() {
        var head = OptimizerFactory.head(yaml("{name: sgd, lr: 0.1, betas: [0.9, 0.99]}"));
        var e = assertThrows(ConfigException.class, () -> OptimizerFactory.build(head, Schedules.constant(0.1)));
        assertTrue(e.getMessage().startsWith("optimizer.betas: unknown key") && e.getMessage().contains("momentum"), e.getMessage());
    }

    @Test
    void everyScheduleBuildsAndCountsOptimizerSteps() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("step", "{name: step, step_size: 10, gamma: 0.5}");
        options.put("multistep", "{name: multistep, milestones: [10, 20], gamma: 0.5}");
        options.put("exponential", "{name: exponential, gamma: 0.9}");
        options.put("cosine", "{name: cosine, T_max: 20, eta_min: 0.0, warmup_steps: 5}");
        options.put("cosine_warm_restarts", "{name: cosine_warm_restarts, T_0: 5, T_mult: 2}");
        options.put("linear", "{name: linear, start_factor: 0.5, end_factor: 1.0, total_iters: 10}");
        options.put("constant", "{name: constant, factor: 0.5, total_iters: 10}");
        options.put("polynomial", "{name: polynomial, total_iters: 20, power: 2}");
        options.put("onecycle", "{name: onecycle, max_lr: 0.1, pct_start: 0.3, anneal_strategy: linear, three_phase: true}");
        options.put("cyclic", "{name: cyclic, base_lr: 0.01, max_lr: 0.1, step_size_up: 5, mode: triangular2}");
        options.put("inverse_sqrt", "{name: inverse_sqrt}");
        options.put("warmup_stable_decay", "{name: warmup_stable_decay, warmup_steps: 2, stable_steps: 5, decay_steps: 5, decay: cos}");
        options.put("plateau", "{name: plateau, mode: max, factor: 0.5, patience: 2, monitor: val_accuracy}");
        assertEquals(ScheduleFactory.NAMES.size(), options.size());
        for (var e : options.entrySet()) {
            var built = ScheduleFactory.build(yaml(e.getValue()), 0.1, 100);
            Schedule s = built.schedule();
            assertTrue(s.lr(3) > 0 && Double.isFinite(s.lr(10)), e.getKey());
            assertEquals(e.getKey().equals("plateau") ? "val_accuracy" : null, built.monitor(), e.getKey());
        }
        // step counts are optimizer steps: StepLR halves after step_size steps
        Schedule step = ScheduleFactory.build(yaml("{name: step, step_size: 10, gamma: 0.5}"), 0.1, 100).schedule();
        assertEquals(0.1, step.lr(9), 1e-15);
        assertEquals(0.05, step.lr(10), 1e-15);
        // T_max defaults to the run's total steps
        Schedule cos = ScheduleFactory.build(yaml("{name: cosine}"), 0.1, 40).schedule();
        assertEquals(0.0, cos.lr(40), 1e-12);
        Schedule warm = ScheduleFactory.build(yaml("{name: cosine, warmup_steps: 10}"), 0.1, 40).schedule();
        assertEquals(0.1 / 3, warm.lr(0), 1e-12);
        assertEquals(0.1, warm.lr(10), 1e-12);
        assertEquals(0.0, warm.lr(40), 1e-12, "after the warmup the cosine spans the remaining 30 steps");
        var e = assertThrows(ConfigException.class, () -> ScheduleFactory.build(yaml("{name: cosine, T_mx: 5}"), 0.1, 10));
        assertTrue(e.getMessage().contains("did you mean 'T_max'"), e.getMessage());
    }

    @Test
    void everyLayerBuildsAndInputSizesAreTraced() {
        Sequential m = ModelFactory.build(yaml("""
                [conv2d: {out: 4, kernel: 3, padding: 1}, batchnorm2d, relu, maxpool2d: 2, conv2d: {out: 6, kernel: 3, stride: 1},
                 leaky_relu: 0.1, avgpool2d: 1, flatten, layernorm, linear: 12, elu, gelu, gelu_tanh, silu, softplus, tanh, dropout: 0.1,
                 batchnorm1d, sigmoid, linear: {out: 5, bias: false}, softmax, log_softmax]"""), new int[] {1, 8, 8}, Generator.seeded(0));
        assertEquals(22, m.size());
        // 8x8 -> conv pad 1: 8x8 -> pool: 4x4 -> conv 3: 2x2 x 6 channels = 24 features
        assertArrayEquals(new int[] {12, 24}, m.namedParameters().get("9.weight").shape());
        assertArrayEquals(new int[] {5}, ModelFactory.outputShape(m, new int[] {1, 8, 8}));
        var e = assertThrows(ConfigException.class, () -> ModelFactory.build(yaml("[linear: 4]"), new int[] {1, 28, 28}, Generator.seeded(0)));
        assertTrue(e.getMessage().contains("model[0] (linear)") && e.getMessage().contains("flatten"), e.getMessage());
    }

    @Test
    void everyLossBuildsAndSetsTheTask() {
        Map<String, Task> want = Map.of("cross_entropy", Task.CLASSES, "nll", Task.CLASSES, "multi_margin", Task.CLASSES, "bce", Task.BINARY,
                "bce_with_logits", Task.BINARY, "kl_div", Task.DISTRIBUTION, "mse", Task.REGRESSION, "l1", Task.REGRESSION,
                "smooth_l1", Task.REGRESSION, "huber", Task.REGRESSION);
        assertEquals(LossFactory.NAMES.size(), want.size());
        for (String name : LossFactory.NAMES) assertEquals(want.get(name), LossFactory.build(yaml(name)).task(), name);
        var smoothed = LossFactory.build(yaml("{name: cross_entropy, label_smoothing: 0.1}"));
        var plain = LossFactory.build(yaml("cross_entropy"));
        Tensor logits = Tensor.of(new float[] {2f, 0f, -1f}, 1, 3), target = Tensor.vector(0f);
        assertNotEquals(plain.loss().apply(logits, target).item(), smoothed.loss().apply(logits, target).item());
        var e = assertThrows(ConfigException.class, () -> LossFactory.build(yaml("cross_entropi")));
        assertTrue(e.getMessage().contains("did you mean 'cross_entropy'"), e.getMessage());
    }
}
