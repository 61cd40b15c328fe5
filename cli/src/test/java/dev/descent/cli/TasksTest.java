package dev.descent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Binary, regression and distribution tasks through train and predict; full batch; plateau; validate_every. */
class TasksTest {
    @TempDir Path dir;

    private void copy(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/e2e/" + name)) {
            Files.copy(in, dir.resolve(name));
        }
    }

    private Cli.Result train(String yaml) throws IOException {
        return train(yaml, "run");
    }

    private Cli.Result train(String yaml, String out) throws IOException {
        Path config = Cli.write(dir, "run.yaml", yaml);
        return Cli.run("train", config.toString(), "--quiet", "--out", dir.resolve(out).toString());
    }

    @Test
    void binaryClassificationWithBceWithLogitsAndPredictedProbabilities() throws IOException {
        copy("breast_cancer.csv");
        var r = train("""
                data: {train: breast_cancer.csv, target: benign, test_split: 0.25, scale: standard}
                model: [linear: 8, relu, linear: 1]
                loss: bce_with_logits
                optimizer: {name: adam, lr: 0.01}
                train: {epochs: 20, batch_size: full}
                metrics: [accuracy, roc_auc]
                """);
        assertEquals(0, r.code(), r.err());
        var test = TrainCommandTest.lines(dir.resolve("run/metrics.jsonl"), "test").get(0);
        assertTrue(test.get("accuracy").asDouble() > 0.85 && test.get("roc_auc").asDouble() > 0.9, test.toString());
        assertEquals(20, TrainCommandTest.lines(dir.resolve("run/metrics.jsonl"), "step").size(), "full batch: one step per epoch");
        // eval re-derives the held-out test rows (same seed, same split) and agrees with training's test line
        var e = Cli.run("eval", dir.resolve("run").toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains(String.format(java.util.Locale.ROOT, "accuracy     %.6f", test.get("accuracy").asDouble())), e.out());
        assertTrue(e.out().contains(", 142 examples"), e.out());
        var p = Cli.run("predict", dir.resolve("run").toString(), "--input", dir.resolve("breast_cancer.csv").toString(), "--output",
                dir.resolve("p.csv").toString());
        assertEquals(0, p.code(), p.err());
        List<String> rows = Files.readAllLines(dir.resolve("p.csv"));
        assertEquals("prediction,p_0,p_1", rows.get(0));
        assertEquals(570, rows.size());
    }

    @Test
    void regressionWithValidationEveryNStepsAndAPlateauSchedule() throws IOException {
        copy("diabetes.csv");
        var r = train("""
                data: {train: diabetes.csv, target: progression, validation_split: 0.2, scale: standard}
                model: [linear: 16, relu, linear: 1]
                loss: {name: huber, delta: 50}
                optimizer: {name: adam, lr: 0.5}
                schedule: {name: plateau, patience: 1, factor: 0.5, monitor: val_mae}
                train: {epochs: 5, batch_size: 32, validate_every: 4}
                metrics: [mae, r2]
                """);
        assertEquals(0, r.code(), r.err());
        var evals = TrainCommandTest.lines(dir.resolve("run/metrics.jsonl"), "eval");
        assertEquals(5 * 12 / 4, evals.size(), "12 batches per epoch, validated every 4 steps");
        assertTrue(evals.get(evals.size() - 1).get("val_r2").asDouble() > 0.1, evals.get(evals.size() - 1).toString());
        var steps = TrainCommandTest.lines(dir.resolve("run/metrics.jsonl"), "step");
        assertEquals(0.5, steps.get(0).get("lr").asDouble());
        assertTrue(steps.stream().anyMatch(s -> s.get("lr").asDouble() == 0.25), "the plateau rule fed with val_mae halves the rate");
        var p = Cli.run("predict", dir.resolve("run").toString(), "--input", dir.resolve("diabetes.csv").toString(), "--output",
                dir.resolve("p.csv").toString());
        assertEquals(0, p.code(), p.err());
        List<String> rows = Files.readAllLines(dir.resolve("p.csv"));
        assertEquals("prediction", rows.get(0));
        assertEquals(443, rows.size());
        assertTrue(Double.parseDouble(rows.get(1)) > 20, "predictions are in the target's units: " + rows.get(1));
    }

    @Test
    void klDivAndNllTrainOnLogSoftmaxOutputs() throws IOException {
        copy("iris.csv");
        for (String loss : new String[] {"kl_div", "nll", "multi_margin"}) {
            String last = loss.equals("multi_margin") ? "" : ", log_softmax";
            var r = train("""
                    data: {train: iris.csv, test: iris.csv, scale: minmax}
                    model: [linear: 8, tanh, linear: 3%s]
                    loss: %s
                    optimizer: {name: rmsprop, lr: 0.02}
                    train: {epochs: 15, batch_size: 16}
                    metrics: [accuracy]
                    """.formatted(last, loss), loss);
            assertEquals(0, r.code(), loss + ": " + r.err());
            var test = TrainCommandTest.lines(dir.resolve(loss + "/metrics.jsonl"), "test");
            assertTrue(test.get(test.size() - 1).get("accuracy").asDouble() > 0.8, loss + ": " + test);
        }
    }

    @Test
    void aClassificationMetricOnARegressionRunIsAConfigError() throws IOException {
        copy("diabetes.csv");
        var r = train("""
                data: {train: diabetes.csv}
                model: [linear: 1]
                loss: mse
                optimizer: {name: sgd, lr: 0.01}
                metrics: [accuracy]
                """);
        assertEquals(2, r.code());
        assertTrue(r.errorLines().contains("metrics[0]: accuracy is a classification metric"), r.err());
    }
}
