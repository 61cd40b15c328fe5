package dev.descent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code descent demo}, and a train, eval, predict round trip. */
class DemoEvalPredictTest {
    @TempDir Path dir;

    @Test
    void demoTrainsOnTheBuiltInDigitsAndPrintsATable() {
        var r = Cli.run("demo", "--threads", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("epoch   train loss   val loss   val accuracy   seconds"), r.out());
        assertEquals(8, r.out().lines().filter(l -> l.matches("\\s+\\d+\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+")).count(), r.out());
        Matcher m = Pattern.compile("test accuracy ([0-9.]+)").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertTrue(Double.parseDouble(m.group(1)) > 0.9, "demo test accuracy " + m.group(1));
    }

    @Test
    void evalAndPredictReuseTheRunsLabelsAndScaler() throws IOException {
        // Labels as words, so the predictions must map indices back through the run's classes.
        Path csv = dir.resolve("iris.csv");
        try (var in = getClass().getResourceAsStream("/e2e/iris.csv")) {
            Files.copy(in, csv);
        }
        Cli.write(dir, "iris.yaml", """
                seed: 1
                data: {train: iris.csv, test: iris.csv, target: species, scale: standard, validation_split: 0.2}
                model: [linear: 16, tanh, linear: 3]
                loss: cross_entropy
                optimizer: {name: adam, lr: 0.05}
                train: {epochs: 30, batch_size: 16}
                metrics: [accuracy, f1_macro]
                callbacks: {early_stopping: {monitor: val_accuracy, patience: 10}}
                """);
        Path run = dir.resolve("run");
        var t = Cli.run("train", dir.resolve("iris.yaml").toString(), "--out", run.toString(), "--quiet");
        assertEquals(0, t.code(), t.err());
        assertTrue(Files.exists(run.resolve("best.safetensors")), "validation makes a best checkpoint");
        assertTrue(t.out().contains("(final.safetensors: the best weights, put back by early stopping (restore_best))"), t.out());

        var e = Cli.run("eval", run.toString());
        assertEquals(0, e.code(), e.err());
        // eval says which weights it measures: by default the best checkpoint, with its monitor and step
        assertTrue(e.out().startsWith("checkpoint best.safetensors (the best val_loss, step "), e.out());
        var f = Cli.run("eval", run.toString(), "--checkpoint", "final");
        assertTrue(f.out().startsWith("checkpoint final.safetensors (the weights training ended with)"), f.out());
        Matcher m = Pattern.compile("accuracy\\s+([0-9.]+)").matcher(e.out());
        assertTrue(m.find(), e.out());
        assertTrue(Double.parseDouble(m.group(1)) > 0.8, e.out());

        // Prediction input without the target column, columns in another order.
        List<String> rows = Files.readAllLines(csv);
        List<String> features = rows.stream().map(l -> {
            String[] c = l.split(",");
            return c[3] + "," + c[2] + "," + c[1] + "," + c[0];
        }).toList();
        Files.write(dir.resolve("new.csv"), features);
        Path preds = dir.resolve("preds.csv");
        var p = Cli.run("predict", run.toString(), "--input", dir.resolve("new.csv").toString(), "--output", preds.toString());
        assertEquals(0, p.code(), p.err());
        List<String> out = Files.readAllLines(preds);
        assertEquals(rows.size(), out.size(), "a header and one row per input row");
        assertTrue(out.get(0).startsWith("prediction,p_"), out.get(0));
        Set<String> labels = rows.stream().skip(1).map(l -> l.substring(l.lastIndexOf(',') + 1)).collect(Collectors.toSet());
        Set<String> predicted = out.stream().skip(1).map(l -> l.split(",")[0]).collect(Collectors.toSet());
        assertTrue(labels.containsAll(predicted) && predicted.size() >= 2, "predicted " + predicted + ", labels " + labels);
        long agree = 0;
        for (int i = 1; i < rows.size(); i++) if (out.get(i).split(",")[0].equals(rows.get(i).substring(rows.get(i).lastIndexOf(',') + 1))) agree++;
        assertTrue(agree > 0.8 * (rows.size() - 1), agree + " of " + (rows.size() - 1) + " predictions agree with the labels");
        String[] first = out.get(1).split(",");
        double sum = 0;
        for (int j = 1; j < first.length; j++) sum += Double.parseDouble(first[j]);
        assertEquals(1.0, sum, 1e-5, "class probabilities sum to one");
    }
}
