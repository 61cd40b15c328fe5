package dev.descent.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.data.Csv;
import dev.descent.data.Split;
import dev.descent.data.Tabular;
import dev.descent.data.TensorDataset;
import dev.descent.loss.Losses;
import dev.descent.metric.Metrics;
import dev.descent.nn.Activations;
import dev.descent.nn.Dropout;
import dev.descent.nn.Linear;
import dev.descent.nn.Module;
import dev.descent.nn.Sequential;
import dev.descent.optim.OptimizerSpec;
import dev.descent.optim.Optimizers;
import dev.descent.schedule.PlateauOptions;
import dev.descent.schedule.Schedules;
import dev.descent.tensor.Generator;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 B1: a run resumed from an epoch's checkpoint decides as the uninterrupted run does,
 * because every callback's state (early stopping's best value and patience count and best
 * weights, the checkpoint writer's best value) and every schedule's state (a plateau rule behind a
 * warmup) travel in the checkpoint.
 */
class ResumeStateTest {
    @TempDir Path dir;

    private static final TensorDataset TRAIN, VALIDATION;

    static {
        try (var in = ResumeStateTest.class.getResourceAsStream("/data/digits.csv")) {
            var all = Tabular.classification(Csv.read(new InputStreamReader(in, StandardCharsets.UTF_8), "digits.csv"), "digit").data();
            TensorDataset scaled = new TensorDataset(all.features().div(16.0), all.targets());
            Split split = Split.stratified(scaled.classIndices(), 0.2, Generator.seeded(0));
            TRAIN = scaled.subset(split.train());
            VALIDATION = scaled.subset(split.validation());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Module mlp(long seed) {
        Generator g = Generator.seeded(seed);
        return Sequential.of(Linear.of(64, 16, g), Activations.relu(), Dropout.of(0.1), Linear.of(16, 10, g));
    }

    /** A rate high enough to make the validation loss wander, so the plateau rule and early stopping act. */
    private static OptimizerSpec spec() {
        return Optimizers.adam(Schedules.warmup(10, 0.5, Schedules.reduceOnPlateau(0.05, PlateauOptions.defaults().withPatience(0).withFactor(0.7))));
    }

    /** Records each step's rate and copies last and best after each epoch's checkpoint. */
    private static final class Recorder implements Callback {
        final Path out;
        final List<Double> lrs = new ArrayList<>();
        long lastStep;

        Recorder(Path out) {
            this.out = out;
        }

        @Override
        public void onEvent(TrainingEvent event, TrainingControl control) {
            if (event instanceof TrainingEvent.Step s) {
                lrs.add(s.lr());
                lastStep = s.step();
            }
            if (out != null && event instanceof TrainingEvent.EpochEnd e) {
                try {
                    Path run = out.getParent().resolve("run");
                    Files.copy(run.resolve("last.safetensors"), out.resolve("last-" + e.epoch() + ".safetensors"));
                    if (Files.exists(run.resolve("best.safetensors"))) {
                        Files.copy(run.resolve("best.safetensors"), out.resolve("best-" + e.epoch() + ".safetensors"), StandardCopyOption.REPLACE_EXISTING);
                    }
                } catch (IOException x) {
                    throw new UncheckedIOException(x);
                }
            }
        }
    }

    private static Trainer trainer(Module model, Path runDir, Recorder recorder) {
        return Trainer.of(model, Losses.crossEntropy(), spec()).epochs(40).batchSize(128).seed(5)
                .validation(VALIDATION, Metrics.accuracy())
                .callbacks(Callbacks.earlyStopping("val_loss", 3, 0.0, false, true), Callbacks.checkpoint(runDir, "val_accuracy"), recorder);
    }

    @Test
    void aResumedRunStopsRestoresAndKeepsItsBestAsTheUninterruptedOne() throws IOException {
        Path whole = dir.resolve("whole"), copies = dir.resolve("whole/copies");
        Files.createDirectories(copies);
        Module a = mlp(1);
        Recorder full = new Recorder(copies);
        TrainResult r = trainer(a, whole.resolve("run"), full).fit(TRAIN);
        assertTrue(r.reason().startsWith("stopped: early stopping"), "the uninterrupted run stops early: " + r.reason());
        int stopEpoch = r.epochs().size();
        assertTrue(stopEpoch >= 4 && stopEpoch < 40, "stopped after " + stopEpoch + " epochs");
        double afterWarmup = full.lrs.get(10);
        assertTrue(full.lrs.stream().anyMatch(lr -> lr < afterWarmup), "the plateau rule behind the warmup was fed and lowered the rate");

        // Resume from the checkpoint of the epoch before the stop (patience partly used up), with
        // best.safetensors as it was then.
        int from = stopEpoch - 2;
        Path part = dir.resolve("part");
        Files.createDirectories(part.resolve("run"));
        Path best = copies.resolve("best-" + from + ".safetensors");
        if (Files.exists(best)) Files.copy(best, part.resolve("run/best.safetensors"));
        Module b = mlp(99);
        Recorder resumed = new Recorder(null);
        TrainResult s = trainer(b, part.resolve("run"), resumed).resume(Checkpoint.load(copies.resolve("last-" + from + ".safetensors"))).fit(TRAIN);

        assertEquals(r.reason(), s.reason());
        assertEquals(full.lastStep, resumed.lastStep, "stops at the same step");
        assertEquals(full.lrs.subList(full.lrs.size() - resumed.lrs.size(), full.lrs.size()), resumed.lrs, "the same rates, plateau reductions included");
        for (var e : a.stateDict().entrySet()) {
            assertArrayEquals(e.getValue().toFloatArray(), b.stateDict().get(e.getKey()).toFloatArray(), "restored best weights: " + e.getKey());
        }
        for (String f : List.of("best.safetensors", "last.safetensors")) {
            assertArrayEquals(Files.readAllBytes(whole.resolve("run").resolve(f)), Files.readAllBytes(part.resolve("run").resolve(f)), f);
        }

        // Resumed from the checkpoint of the stopping epoch itself (a crash while writing the final
        // model): early stopping's state says it stopped, so the run ends at once, as it did.
        Module c = mlp(98);
        Recorder none = new Recorder(null);
        TrainResult t = trainer(c, dir.resolve("again/run"), none).resume(Checkpoint.load(copies.resolve("last-" + (stopEpoch - 1) + ".safetensors")))
                .fit(TRAIN);
        assertEquals(r.reason(), t.reason());
        assertEquals(0, none.lrs.size(), "no step after the stop");
        for (var e : a.stateDict().entrySet()) {
            assertArrayEquals(e.getValue().toFloatArray(), c.stateDict().get(e.getKey()).toFloatArray(), "best weights restored again: " + e.getKey());
        }
    }

    @Test
    void aCheckpointWithoutTheStateOfACallbackIsRefused() throws IOException {
        Module m = mlp(1);
        Path run = dir.resolve("plain");
        Trainer.of(m, Losses.crossEntropy(), spec()).epochs(1).batchSize(512).seed(5).validation(VALIDATION)
                .callbacks(Callbacks.checkpoint(run, null)).fit(TRAIN);
        Checkpoint c = Checkpoint.load(run.resolve("last.safetensors"));
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> trainer(mlp(1), dir.resolve("other"), new Recorder(null)).resume(c));
        assertTrue(e.getMessage().contains("early_stopping"), e.getMessage());
    }
}
