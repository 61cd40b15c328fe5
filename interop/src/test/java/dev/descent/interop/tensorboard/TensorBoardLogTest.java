package dev.descent.interop.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.data.TensorDataset;
import dev.descent.interop.proto.ProtoReader;
import dev.descent.loss.Losses;
import dev.descent.metric.Metrics;
import dev.descent.nn.Activations;
import dev.descent.nn.Linear;
import dev.descent.nn.Sequential;
import dev.descent.optim.Optimizers;
import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import dev.descent.train.Callbacks;
import dev.descent.train.Trainer;
import dev.descent.train.TrainingEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short training run with the TensorBoard callback next to the metrics log: every scalar point
 * equals the log's value (as float32, what a scalar summary holds) at the same step, and each
 * parameter gets weight and gradient histograms at the configured steps.
 */
class TensorBoardLogTest {
    @TempDir Path dir;

    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":(-?[0-9.eE+-]+|null)");

    @Test
    void scalarsEqualTheMetricsLogAndHistogramsCoverEveryParameter() throws IOException {
        Generator gen = Generator.seeded(3);
        Tensor x = Tensor.randn(gen, 40, 3);
        float[] labels = new float[40];
        float[] xv = x.toFloatArray();
        for (int i = 0; i < 40; i++) labels[i] = xv[3 * i] + xv[3 * i + 1] > 0 ? 1 : 0;
        TensorDataset data = new TensorDataset(x, Tensor.of(labels, 40));
        Sequential model = Sequential.of(Linear.of(3, 4, true, gen), Activations.tanh(), Linear.of(4, 2, true, gen));
        Path tb = dir.resolve("tb");
        TensorBoardLog log = new TensorBoardLog(tb, 2, 3, () -> "seed: 3");
        Trainer.of(model, Losses.crossEntropy(), Optimizers.sgd(0.1)).epochs(2).batchSize(8).seed(1)
                .validation(data.range(0, 10), Metrics.accuracy())
                .callbacks(Callbacks.metricsLog(dir.resolve("metrics.jsonl"), 2), log).fit(data);

        Map<String, List<double[]>> expected = new LinkedHashMap<>();
        for (String line : Files.readAllLines(dir.resolve("metrics.jsonl"))) {
            Map<String, String> f = new LinkedHashMap<>();
            Matcher m = FIELD.matcher(line);
            while (m.find()) f.put(m.group(1), m.group(2));
            long step = Long.parseLong(f.get("step"));
            if (line.contains("\"kind\":\"step\"")) {
                for (String k : List.of("loss", "lr", "grad_norm")) add(expected, "train/" + k, step, f.get(k));
            } else if (line.contains("\"kind\":\"eval\"")) {
                for (String k : f.keySet()) if (k.startsWith("val_")) add(expected, "val/" + k.substring(4), step, f.get(k));
            } else if (line.contains("\"kind\":\"epoch\"")) {
                add(expected, "epoch/loss", step, f.get("loss"));
            }
        }

        List<Path> files;
        try (var s = Files.list(tb)) {
            files = s.toList();
        }
        assertEquals(1, files.size(), files.toString());
        Map<String, List<double[]>> scalars = new LinkedHashMap<>();
        Map<String, List<Long>> histograms = new LinkedHashMap<>();
        String text = null;
        for (ProtoReader event : EventFileTest.events(files.getFirst())) {
            if (!event.has(5)) continue;
            long step = event.varint(2);
            ProtoReader value = event.message(5).message(1);
            String tag = value.string(1);
            if (value.has(2)) scalars.computeIfAbsent(tag, k -> new ArrayList<>()).add(new double[] {step, value.floatValue(2)});
            if (value.has(5)) histograms.computeIfAbsent(tag, k -> new ArrayList<>()).add(step);
            if (value.has(8) && tag.equals("config")) text = value.message(8).string(8);
        }
        for (var e : expected.entrySet()) {
            List<double[]> got = scalars.get(e.getKey());
            assertEquals(e.getValue().size(), got == null ? 0 : got.size(), "points of " + e.getKey());
            for (int i = 0; i < got.size(); i++) {
                assertEquals(e.getValue().get(i)[0], got.get(i)[0], e.getKey() + " point " + i + " step");
                assertEquals((float) e.getValue().get(i)[1], (float) got.get(i)[1], e.getKey() + " at step " + got.get(i)[0]);
            }
        }
        assertTrue(scalars.containsKey("epoch/seconds"));
        assertEquals(new TreeSet<>(List.of("train/loss", "train/lr", "train/grad_norm", "val/loss", "val/accuracy", "epoch/loss", "epoch/seconds")),
                new TreeSet<>(scalars.keySet()));
        // 2 epochs of 5 batches: steps 1..10, histograms at 3, 6 and 9.
        for (String p : model.namedParameters().keySet()) {
            assertEquals(List.of(3L, 6L, 9L), histograms.get("weights/" + p), p);
            assertEquals(List.of(3L, 6L, 9L), histograms.get("grads/" + p), p);
        }
        assertEquals("```\nseed: 3\n```", text);
    }

    /**
     * A run resumed from a checkpoint at step 5 marks a restart at step 6 (SessionLog START), so
     * TensorBoard drops points at step 6 and later from the interrupted run's files.
     */
    @Test
    void aResumedRunMarksItsRestart() throws IOException {
        Path tb = dir.resolve("resumed");
        TensorBoardLog log = new TensorBoardLog(tb, 1, 0, null);
        log.onEvent(new TrainingEvent.Start(2, Long.MAX_VALUE, 5, 40, 1, 5), null);
        log.onEvent(new TrainingEvent.End(5, 1, "completed"), null);
        List<ProtoReader> events;
        try (var s = Files.list(tb)) {
            events = EventFileTest.events(s.toList().getFirst());
        }
        assertEquals(2, events.size());
        ProtoReader restart = events.get(1);
        assertEquals(6, restart.varint(2));
        assertEquals(1, restart.message(7).varint(1), "SessionLog.status START");

        Path fresh = dir.resolve("fresh");
        TensorBoardLog first = new TensorBoardLog(fresh, 1, 0, null);
        first.onEvent(new TrainingEvent.Start(2, Long.MAX_VALUE, 5, 40, 0, 0), null);
        first.onEvent(new TrainingEvent.End(0, 0, "completed"), null);
        try (var s = Files.list(fresh)) {
            assertEquals(1, EventFileTest.events(s.toList().getFirst()).size(), "a fresh run has no restart mark");
        }
    }

    private static void add(Map<String, List<double[]>> m, String tag, long step, String value) {
        m.computeIfAbsent(tag, k -> new ArrayList<>()).add(new double[] {step, value.equals("null") ? Double.NaN : Double.parseDouble(value)});
    }
}
