package dev.descent.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.data.Csv;
import dev.descent.data.Split;
import dev.descent.data.Tabular;
import dev.descent.data.TensorDataset;
import dev.descent.loss.Losses;
import dev.descent.metric.Metrics;
import dev.descent.nn.Activations;
import dev.descent.nn.Linear;
import dev.descent.nn.Module;
import dev.descent.nn.Sequential;
import dev.descent.optim.Optimizers;
import dev.descent.tensor.Generator;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkpoint writer's interval ({@code every_seconds}): many short epochs cost a bounded number
 * of checkpoint writes, and the files a run ends with are the same bytes as with a write every
 * epoch, however the run ends (completed, stopped mid-epoch by a callback as Ctrl-C does, stopped
 * by early stopping that puts the best weights back when training ends).
 */
class CheckpointIntervalTest {
    @TempDir Path dir;

    private static final TensorDataset TRAIN, VALIDATION;
    private static final long NEVER = Long.MAX_VALUE / 4;

    static {
        try (var in = CheckpointIntervalTest.class.getResourceAsStream("/data/digits.csv")) {
            var all = Tabular.classification(Csv.read(new InputStreamReader(in, StandardCharsets.UTF_8), "digits.csv"), "digit").data();
            TensorDataset scaled = new TensorDataset(all.features().div(16.0), all.targets());
            Split split = Split.stratified(scaled.classIndices(), 0.2, Generator.seeded(0));
            // 256 training rows in batches of 64: 4 steps an epoch
            TRAIN = scaled.subset(java.util.Arrays.copyOf(split.train(), 256));
            VALIDATION = scaled.subset(split.validation());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Module mlp() {
        Generator g = Generator.seeded(1);
        return Sequential.of(Linear.of(64, 16, g), Activations.relu(), Linear.of(16, 10, g));
    }

    private static Trainer trainer(int epochs) {
        return Trainer.of(mlp(), Losses.crossEntropy(), Optimizers.adam(0.01)).epochs(epochs).batchSize(64).seed(3)
                .validation(VALIDATION, Metrics.accuracy());
    }

    /** Notes, at each epoch end after the writer's turn, whether last.safetensors exists yet. */
    private static Callback existsAtEpochEnds(Path run, List<Boolean> seen) {
        return (event, control) -> {
            if (event instanceof TrainingEvent.EpochEnd) seen.add(Files.exists(run.resolve(RunFiles.LAST)));
        };
    }

    @Test
    void manyShortEpochsAreWrittenOnceWhenTheIntervalIsNeverReached() throws IOException {
        Path run = dir.resolve("run");
        CheckpointWriter writer = new CheckpointWriter(run, "val_accuracy", true, 3600, () -> 0L);
        List<Boolean> seen = new ArrayList<>();
        TrainResult r = trainer(40).callbacks(writer, existsAtEpochEnds(run, seen)).fit(TRAIN);
        assertEquals("completed", r.reason());
        assertEquals(40, seen.size());
        assertFalse(seen.contains(true), "nothing is written at the epoch ends: " + seen);
        assertEquals(1, writer.writes(), "one write, when training ends");
        Checkpoint last = Checkpoint.load(run.resolve(RunFiles.LAST));
        assertEquals(40, last.epoch());
        assertEquals(160, last.step());
        assertTrue(Files.exists(run.resolve(RunFiles.BEST)));
    }

    @Test
    void anEpochEndIsWrittenOnceTheIntervalHasPassed() throws IOException {
        Path run = dir.resolve("run");
        AtomicLong now = new AtomicLong();
        // one second passes per epoch; the writer writes every 3 s: after epochs 3, 6 and 9 of 10, then at the end
        Callback tick = (event, control) -> {
            if (event instanceof TrainingEvent.EpochEnd) now.addAndGet(1_000_000_000L);
        };
        CheckpointWriter writer = new CheckpointWriter(run, null, false, 3, now::get);
        List<Boolean> seen = new ArrayList<>();
        trainer(10).callbacks(tick, writer, existsAtEpochEnds(run, seen)).fit(TRAIN);
        assertEquals(List.of(false, false, true, true, true, true, true, true, true, true), seen);
        assertEquals(4, writer.writes());
        assertEquals(10, Checkpoint.load(run.resolve(RunFiles.LAST)).epoch());
    }

    @Test
    void theFilesARunEndsWithDoNotDependOnTheInterval() throws IOException {
        // completed, with a best checkpoint
        assertSameFiles(w -> trainer(12).callbacks(w));
        // stopped in the middle of epoch 6 (as Ctrl-C stops): last is epoch 5's end
        assertSameFiles(w -> trainer(12).callbacks(w, (event, control) -> {
            if (event instanceof TrainingEvent.Step s && s.step() == 22) control.requestStop("test");
        }));
        // early stopping, which puts the best weights back into the model when training ends
        assertSameFiles(w -> trainer(60).callbacks(Callbacks.earlyStopping("val_loss", 2, 0, false, true), w));
    }

    private void assertSameFiles(Function<Callback, Trainer> run) throws IOException {
        Path every = dir.resolve("every"), rare = dir.resolve("rare");
        run.apply(Callbacks.checkpoint(every, "val_accuracy", 0)).fit(TRAIN);
        CheckpointWriter never = new CheckpointWriter(rare, "val_accuracy", true, 1, () -> 0L);
        run.apply(never).fit(TRAIN);
        assertEquals(1, never.writes());
        for (String f : List.of(RunFiles.LAST, RunFiles.BEST)) {
            assertArrayEquals(Files.readAllBytes(every.resolve(f)), Files.readAllBytes(rare.resolve(f)), f);
        }
        for (Path p : List.of(every, rare)) {
            for (String f : List.of(RunFiles.LAST, RunFiles.BEST)) Files.delete(p.resolve(f));
        }
    }
}
