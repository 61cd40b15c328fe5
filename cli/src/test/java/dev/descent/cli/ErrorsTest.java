package dev.descent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input: one line on standard error naming the culprit, exit code 2; training failures exit 1. */
class ErrorsTest {
    @TempDir Path dir;

    private Cli.Result train(String yaml, String... extra) throws IOException {
        Cli.copyFixture(dir);
        Path config = Cli.write(dir, "run.yaml", yaml);
        String[] args = new String[3 + extra.length + 2];
        args[0] = "train";
        args[1] = config.toString();
        args[2] = "--quiet";
        args[3] = "--out";
        args[4] = dir.resolve("out").toString();
        System.arraycopy(extra, 0, args, 5, extra.length);
        return Cli.run(args);
    }

    private static void assertOneLine(Cli.Result r, int code, String... fragments) {
        assertEquals(code, r.code(), r.err());
        String err = r.errorLines();
        assertEquals(1, err.lines().count(), "one line expected:\n" + err);
        assertFalse(err.contains("\tat ") || err.contains("Exception"), "no stack trace or exception names: " + err);
        for (String f : fragments) assertTrue(err.contains(f), "'" + f + "' expected in: " + err);
    }

    @Test
    void missingConfigFile() {
        assertOneLine(Cli.run("train", dir.resolve("nope.yaml").toString()), 2, "nope.yaml", "not found");
    }

    @Test
    void unknownKeySuggestsTheNearest() throws IOException {
        assertOneLine(train(Cli.CONTRACT.replace("momentum: 0.9", "momentun: 0.9")), 2, "optimizer.momentun", "did you mean 'momentum'");
        assertOneLine(train(Cli.CONTRACT.replace("metrics:", "metrcs:")), 2, "metrcs", "did you mean 'metrics'");
    }

    @Test
    void unknownOptimizerScheduleAndLayerSuggestTheNearest() throws IOException {
        assertOneLine(train(Cli.CONTRACT.replace("name: sgd", "name: adamm")), 2, "optimizer.name", "'adamm'", "did you mean 'adam'");
        assertOneLine(train(Cli.CONTRACT.replace("name: cosine", "name: cosin")), 2, "schedule.name", "did you mean 'cosine'");
        assertOneLine(train(Cli.CONTRACT.replace("relu", "rellu")), 2, "model[1]", "did you mean 'relu'");
    }

    @Test
    void aNegativeCheckpointIntervalIsRefused() throws IOException {
        assertOneLine(train(Cli.CONTRACT + "callbacks: {checkpoint: {every_seconds: -1}}\n"), 2, "callbacks.checkpoint.every_seconds", "-1");
        assertFalse(java.nio.file.Files.exists(dir.resolve("out")), "nothing written");
    }

    @Test
    void unknownCommandLineOptionSuggestsTheNearest() throws IOException {
        assertOneLine(train(Cli.CONTRACT, "--threds", "2"), 2, "--threds", "did you mean '--threads'");
    }

    @Test
    void outOfRangeValuesNameTheKey() throws IOException {
        assertOneLine(train(Cli.CONTRACT, "--set", "optimizer.lr=-1"), 2, "optimizer.lr", "-1");
        assertOneLine(train(Cli.CONTRACT, "--set", "train.validate_every=-1"), 2, "train.validate_every");
        assertOneLine(train(Cli.CONTRACT, "--set", "train.clip_grad_norm=-1"), 2, "train.clip_grad_norm", "positive");
        assertOneLine(train(Cli.CONTRACT, "--set", "schedule.T_max=0"), 2, "schedule", "T_max");
        assertOneLine(train(Cli.CONTRACT, "--set", "model=[dropout: 1.5, linear: 10]"), 2, "model[0] (dropout)", "1.5");
    }

    @Test
    void shardCountsThatDoNotSplitTheBatch() throws IOException {
        assertOneLine(train(Cli.CONTRACT, "--set", "train.shards=3"), 2, "train.shards", "power of two", "3");
        assertOneLine(train(Cli.CONTRACT, "--set", "train.shards=128"), 2, "train.shards", "128 does not divide the batch size 64");
        assertFalse(Files.exists(dir.resolve("out").resolve("metrics.jsonl")), "a refused run writes nothing");
    }

    @Test
    void sparkWithoutTheSparkModuleAndTasksWithoutSpark() throws IOException {
        // the CLI's own class path has no engine: descent-spark brings one (ServiceLoader)
        assertOneLine(train(Cli.CONTRACT, "--spark", "local[2]"), 2, "--spark", "descent-spark", "not on the class path");
        assertOneLine(train(Cli.CONTRACT, "--tasks", "2"), 2, "--tasks", "only with --spark");
    }

    @Test
    void missingDataFile() throws IOException {
        assertOneLine(train(Cli.CONTRACT.replace("test: test.csv", "test: tset.csv")), 2, "tset.csv", "file not found");
    }

    @Test
    void malformedCsvRowNamesFileAndLine() throws IOException {
        Cli.copyFixture(dir);
        List<String> lines = Files.readAllLines(dir.resolve("train.csv"));
        lines.set(10, lines.get(10).replaceFirst(",", ",x"));
        Files.write(dir.resolve("bad.csv"), lines);
        assertOneLine(train(Cli.CONTRACT.replace("train: train.csv", "train: bad.csv")), 2, "bad.csv:11", "is not a number");
        lines.set(10, "1,2,3");
        Files.write(dir.resolve("short.csv"), lines);
        assertOneLine(train(Cli.CONTRACT.replace("train: train.csv", "train: short.csv")), 2, "short.csv:11", "3 cells");
    }

    @Test
    void wrongModelOutputSize() throws IOException {
        assertOneLine(train(Cli.REFERENCE.replace("model: [linear: 32, relu, linear: 10]", "model: [linear: 32, relu, linear: 7]")
                .replace("init_from: init.safetensors\n", "")), 2, "model", "10 classes");
    }

    @Test
    void nanLossStopsWithTheTrainersReasonAndExitCode1() throws IOException {
        assertOneLine(train(Cli.REFERENCE.replace("lr: 0.1", "lr: 1e30")), 1, "loss is NaN", "at step");
    }

    /**
     * A loss that is not finite at the very first step (a regression target of 3e38: its square
     * overflows float32) stops the run with the trainer's reason and exit 1; the report is still
     * written, saying how the run ended, instead of the command failing on its own report.
     */
    @Test
    void aRunStoppedAtItsFirstStepStillWritesItsReport() throws IOException {
        Cli.copyFixture(dir);
        List<String> lines = Files.readAllLines(dir.resolve("train.csv"));
        lines.set(1, lines.get(1).replaceFirst(",[^,]*$", ",3e38"));
        Files.write(dir.resolve("huge.csv"), lines);
        assertOneLine(train("""
                data: {train: huge.csv, target: digit, scale: {divide: 16}}
                model: [linear: 8, relu, linear: 1]
                loss: mse
                optimizer: {name: sgd, lr: 0.01}
                train: {epochs: 1, batch_size: 64, shuffle: false}
                """), 1, "loss is Infinity at step 1 (epoch 1, batch 1)");
        String report = Files.readString(dir.resolve("out/report.html"));
        assertTrue(report.contains("stopped: loss is Infinity"), "the report says how the run ended");
    }

    /** on_nonfinite: skip says on the console how many steps it skipped (the run succeeds). */
    @Test
    void skippedStepsAreCountedOnTheConsole() throws IOException {
        Cli.copyFixture(dir);
        List<String> lines = Files.readAllLines(dir.resolve("train.csv"));
        lines.set(1, lines.get(1).replaceFirst(",[^,]*$", ",3e38"));
        Files.write(dir.resolve("huge.csv"), lines);
        Cli.Result r = train("""
                data: {train: huge.csv, target: digit, scale: {divide: 16}}
                model: [linear: 8, relu, linear: 1]
                loss: mse
                optimizer: {name: sgd, lr: 0.01}
                train: {epochs: 2, batch_size: 64, shuffle: false, on_nonfinite: skip}
                """);
        assertEquals(0, r.code(), r.err());
        assertEquals("descent train: warning: 2 steps were skipped: the loss was not finite (on_nonfinite: skip), so their batches did not"
                + " update the model", r.errorLines());
    }

    @Test
    void evalOfSomethingThatIsNotARun() {
        assertOneLine(Cli.run("eval", dir.toString()), 2, "run.json", "not found");
    }

    @Test
    void initFileOfTheWrongShapeOrMalformed() throws IOException {
        assertOneLine(train(Cli.CONTRACT.replace("linear: 32", "linear: 16")), 2, "init_from", "0.weight", "[32, 64]", "[16, 64]");
        Files.write(dir.resolve("bad.safetensors"), new byte[] {1, 2, 3});
        assertOneLine(train(Cli.CONTRACT.replace("init.safetensors", "bad.safetensors")), 2, "bad.safetensors");
    }

    @Test
    void unknownOptionValuesSuggestTheNearest() throws IOException {
        assertOneLine(train(Cli.CONTRACT.replace("scale: {divide: 16}", "scale: standart")), 2, "data.scale", "did you mean 'standard'");
        assertOneLine(train(Cli.CONTRACT.replace("shuffle: false", "shuffle: false, on_nonfinite: skp")), 2, "train.on_nonfinite",
                "did you mean 'skip'");
        assertOneLine(train(Cli.CONTRACT.replace("loss: cross_entropy", "loss: {name: cross_entropy, label_smothing: 0.1}")), 2,
                "loss.label_smothing", "did you mean 'label_smoothing'");
    }

    @Test
    void predictionInputWithoutTheTrainingColumns() throws IOException {
        var t = train(Cli.REFERENCE.replace("epochs: 3", "epochs: 1"));
        assertEquals(0, t.code(), t.err());
        Files.writeString(dir.resolve("new.csv"), "a,b\n1,2\n");
        assertOneLine(Cli.run("predict", dir.resolve("out").toString(), "--input", dir.resolve("new.csv").toString(), "--output",
                dir.resolve("p.csv").toString()), 2, "new.csv", "no column named 'pixel0'");
        assertFalse(Files.exists(dir.resolve("p.csv")), "nothing written on failure");
    }

    @Test
    void aRunDirectoryIsNotOverwrittenAndResumeNeedsAFittingCheckpoint() throws IOException {
        assertEquals(0, train(Cli.REFERENCE.replace("epochs: 3", "epochs: 1")).code());
        assertOneLine(train(Cli.REFERENCE), 2, "already holds a run", "--resume");
        Path config = Cli.write(dir, "other.yaml", Cli.REFERENCE.replace("linear: 32", "linear: 16").replace("init_from: init.safetensors\n", ""));
        Map<String, String> before = contents(dir.resolve("out"));
        assertOneLine(Cli.run("train", config.toString(), "--quiet", "--resume", dir.resolve("out/last.safetensors").toString()), 2,
                "--resume", "does not fit", "0.weight");
        assertEquals(before, contents(dir.resolve("out")), "a refused resume writes nothing (config.yaml, run.json, metrics.jsonl...)");
        var eval = Cli.run("eval", dir.resolve("out").toString(), "--data", dir.resolve("test.csv").toString());
        assertEquals(0, eval.code(), "the run still evaluates after a refused resume: " + eval.err());
    }

    /** Every file under a directory (relative name to a digest of its bytes). */
    static Map<String, String> contents(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (var files = Files.walk(root)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(), java.util.HexFormat.of().formatHex(digest(Files.readAllBytes(p))));
            }
        }
        return out;
    }

    private static byte[] digest(byte[] b) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
