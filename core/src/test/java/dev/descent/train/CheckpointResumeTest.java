package dev.descent.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.loss.Losses;
import dev.descent.nn.Activations;
import dev.descent.nn.BatchNorm1d;
import dev.descent.nn.Dropout;
import dev.descent.nn.Linear;
import dev.descent.nn.Module;
import dev.descent.nn.Sequential;
import dev.descent.optim.Optimizer;
import dev.descent.optim.OptimizerSpec;
import dev.descent.optim.Optimizers;
import dev.descent.schedule.PlateauOptions;
import dev.descent.schedule.PlateauSchedule;
import dev.descent.schedule.Schedule;
import dev.descent.schedule.Schedules;
import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Save, restore, continue equals uninterrupted, bit for bit: for every optimizer, with a
 * composed schedule (linear warmup, then cosine, under a reduce-on-plateau rule fed the loss),
 * dropout drawing from a generator, and batch-norm running statistics as buffers. The restored
 * run starts from a model built with a different seed, so nothing but the checkpoint can make it
 * match.
 */
class CheckpointResumeTest {
    @TempDir Path dir;

    private static final Tensor X = Tensor.randn(Generator.seeded(1), 16, 4);
    private static final Tensor Y = Tensor.of(new float[] {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0}, 16);

    private static Schedule schedule() {
        return Schedules.warmup(3, 0.1, Schedules.cosine(0.05, 20, 0.0));
    }

    static final Map<String, Function<Schedule, OptimizerSpec>> OPTIMIZERS = new LinkedHashMap<>();

    static {
        OPTIMIZERS.put("sgd nesterov", s -> Optimizers.sgd(s, 0.9, 0.0, true, 1e-3));
        OPTIMIZERS.put("adagrad", s -> Optimizers.adagrad(s, 0.01, 0.1, 1e-10, 1e-3));
        OPTIMIZERS.put("adadelta", s -> Optimizers.adadelta(s, 0.9, 1e-6, 1e-3));
        OPTIMIZERS.put("rmsprop centered", s -> Optimizers.rmsprop(s, 0.99, 1e-8, 0.5, true, 1e-3));
        OPTIMIZERS.put("adam amsgrad", s -> Optimizers.adam(s, 0.9, 0.999, 1e-8, 1e-3, true));
        OPTIMIZERS.put("adamw", s -> Optimizers.adamW(s, 0.01));
        OPTIMIZERS.put("adamax", s -> Optimizers.adamax(s, 0.9, 0.999, 1e-8, 1e-3));
        OPTIMIZERS.put("nadam", s -> Optimizers.nadam(s, 0.9, 0.999, 1e-8, 1e-3, 4e-3));
        OPTIMIZERS.put("radam", s -> Optimizers.radam(s, 0.9, 0.999, 1e-8, 1e-3));
        OPTIMIZERS.put("lion", s -> Optimizers.lion(s, 0.9, 0.99, 1e-2));
    }

    /** A live run: model, optimizer over a plateau-wrapped schedule, and the dropout generator. */
    private record Run(Module model, Optimizer optimizer, PlateauSchedule plateau, Generator dropout) {
        static Run create(String optimizer, long initSeed) {
            Generator init = Generator.seeded(initSeed), dropout = Generator.seeded(initSeed + 100);
            Module model = Sequential.of(Linear.of(4, 8, init), BatchNorm1d.of(8), Activations.relu(), Dropout.of(0.25), Linear.of(8, 3, init));
            model.setGenerator(dropout);
            PlateauSchedule plateau = schedule().withPlateau(PlateauOptions.defaults().withPatience(1));
            return new Run(model, OPTIMIZERS.get(optimizer).apply(plateau).bind(model.namedParameters()), plateau, dropout);
        }

        void steps(int n) {
            for (int i = 0; i < n; i++) {
                optimizer.zeroGrad();
                Tensor loss = Losses.crossEntropy().apply(model.forward(X), Y);
                loss.backward();
                optimizer.step();
                optimizer.observe(loss.item());
            }
        }

        Checkpoint capture() {
            return Checkpoint.capture(model, optimizer, Map.of("dropout", dropout), 0, optimizer.stepCount());
        }
    }

    @Test
    void resumedRunMatchesUninterruptedForEveryOptimizer() throws IOException {
        for (String name : OPTIMIZERS.keySet()) {
            Run uninterrupted = Run.create(name, 7);
            uninterrupted.steps(6);
            Path file = dir.resolve(name.replace(' ', '_') + ".safetensors");
            uninterrupted.capture().save(file);
            uninterrupted.steps(9);

            Run resumed = Run.create(name, 8);
            Checkpoint.load(file).restore(resumed.model, resumed.optimizer, Map.of("dropout", resumed.dropout));
            resumed.steps(9);

            assertEquals(uninterrupted.optimizer.stepCount(), resumed.optimizer.stepCount(), name);
            assertEquals(uninterrupted.plateau.state(), resumed.plateau.state(), name + ": plateau state");
            for (var e : uninterrupted.model.stateDict().entrySet()) {
                assertArrayEquals(e.getValue().toFloatArray(), resumed.model.stateDict().get(e.getKey()).toFloatArray(), name + ": " + e.getKey());
            }
            assertEquals(uninterrupted.optimizer.state(), resumed.optimizer.state(), name + ": optimizer state");
        }
    }

    @Test
    void aRunThatIsNotRestoredDiffers() {
        // Guards the test above: without the checkpoint the two seeds give different parameters.
        Run a = Run.create("adamw", 7), b = Run.create("adamw", 8);
        a.steps(3);
        b.steps(3);
        float[] wa = a.model.stateDict().get("0.weight").toFloatArray(), wb = b.model.stateDict().get("0.weight").toFloatArray();
        assertTrue(!java.util.Arrays.equals(wa, wb));
    }

    @Test
    void checkpointFileIsSafetensorsWithPyTorchNamesAndRejectsOtherFiles() throws IOException {
        Run r = Run.create("adam amsgrad", 3);
        r.steps(2);
        Path file = dir.resolve("c.safetensors");
        r.capture().save(file);
        var names = dev.descent.io.Safetensors.read(file).tensors().keySet();
        assertTrue(names.containsAll(List.of("model/0.weight", "model/1.running_mean", "model/1.num_batches_tracked",
                "optim/0.weight/exp_avg", "optim/0.weight/max_exp_avg_sq")), names.toString());
        Path plain = dir.resolve("weights.safetensors");
        dev.descent.io.Safetensors.write(plain, Map.of("w", Tensor.zeros(2)));
        var e = assertThrows(IOException.class, () -> Checkpoint.load(plain));
        assertTrue(e.getMessage().contains("not a Descent training checkpoint"), e.getMessage());
        assertTrue(Files.list(dir).noneMatch(p -> p.getFileName().toString().contains(".tmp")), "no temporary files left");
    }
}
