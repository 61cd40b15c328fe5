package dev.descent.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.data.TensorDataset;
import dev.descent.loss.Losses;
import dev.descent.nn.Linear;
import dev.descent.optim.Optimizers;
import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics log writes its lines to the file at epoch ends (and at most once a second in
 * between), not after every step line; and every line up to an epoch's end is in the file by the
 * time the callbacks after it (the checkpoint writer) see that epoch end, which is what a resume
 * after kill -9 relies on.
 */
class MetricsLogFlushTest {
    @TempDir Path dir;

    @Test
    void stepLinesReachTheFileAtEpochEndsNotAfterEachStep() {
        Path file = dir.resolve("metrics.jsonl");
        Generator g = Generator.seeded(1);
        float[] x = new float[256 * 2], y = new float[256];
        for (int i = 0; i < 256; i++) {
            x[2 * i] = (float) g.nextGaussian();
            x[2 * i + 1] = (float) g.nextGaussian();
            y[i] = 2 * x[2 * i] - x[2 * i + 1];
        }
        int[] growthsAtSteps = {0};
        long[] linesBefore = {0};
        int[] epochEnds = {0};
        long started = System.nanoTime();
        Callback watch = (event, control) -> {
            long lines = lines(file);
            switch (event) {
                case TrainingEvent.Step s -> {
                    if (lines != linesBefore[0]) growthsAtSteps[0]++;
                    linesBefore[0] = lines;
                }
                case TrainingEvent.EpochEnd e -> {
                    epochEnds[0]++;
                    // every step line, every epoch line so far
                    assertEquals(e.step() + epochEnds[0], lines, "all lines through epoch " + (e.epoch() + 1) + " are in the file");
                    linesBefore[0] = lines;
                }
                default -> { }
            }
        };
        Trainer.of(Linear.of(2, 1, Generator.seeded(2)), Losses.mse(), Optimizers.sgd(0.05)).epochs(20).batchSize(8).shuffle(false).seed(1)
                .callbacks(Callbacks.metricsLog(file, 1), watch).fit(new TensorDataset(Tensor.of(x, 256, 2), Tensor.of(y, 256, 1)));
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(20, epochEnds[0]);
        // 640 step lines: with a write per step line the file grew at each of them; now only the
        // once-a-second flush can make it grow during an epoch
        assertTrue(growthsAtSteps[0] <= 1 + (int) seconds, growthsAtSteps[0] + " writes at steps in " + seconds + " s");
        assertEquals(640 + 20 + 1, lines(file), "and the end line");
    }

    /** A step line as the log always wrote it: Double.toString's digits, null for a non-finite value. */
    @Test
    void aStepLineHasDoubleToStringsDigitsAndNullForNonFinite() throws IOException {
        Path file = dir.resolve("one.jsonl");
        Callback log = Callbacks.metricsLog(file, 1);
        double loss = 0.1f, lr = 1e-4, seconds = 12345.678901234;
        log.onEvent(new TrainingEvent.Start(1, 10, 10, 100, 0, 0), null);
        log.onEvent(new TrainingEvent.Step(7, 0, 6, loss, lr, Double.NaN, 10, seconds, false), null);
        log.onEvent(new TrainingEvent.Step(8, 0, 7, Double.POSITIVE_INFINITY, lr, 2.5, 10, seconds, true), null);
        log.onEvent(new TrainingEvent.End(8, 0, "completed"), null);
        assertEquals(java.util.List.of(
                "{\"kind\":\"step\",\"step\":7,\"epoch\":1,\"loss\":" + Double.toString(loss) + ",\"lr\":1.0E-4,\"grad_norm\":null,\"seconds\":"
                        + Double.toString(seconds) + "}",
                "{\"kind\":\"step\",\"step\":8,\"epoch\":1,\"loss\":null,\"lr\":1.0E-4,\"grad_norm\":2.5,\"seconds\":" + Double.toString(seconds)
                        + ",\"skipped\":true}",
                "{\"kind\":\"end\",\"step\":8,\"reason\":\"completed\"}"), Files.readAllLines(file));
    }

    private static long lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
