package dev.descent.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code descent train RUN.yaml --spark local[2]}: the same run directory bits as the in-process run, found through ServiceLoader. */
class SparkTrainCommandTest {
    @TempDir Path dir;

    private static final String CONFIG = """
            seed: 3
            data: {train: builtin:digits.csv, target: digit, validation_split: 0.2, scale: {divide: 16}}
            model: [linear: 32, batchnorm1d, relu, dropout: 0.1, linear: 10]
            loss: cross_entropy
            optimizer: {name: adam, lr: 0.003}
            train: {epochs: 2, batch_size: 64, shards: 4, clip_grad_norm: 1.0}
            metrics: [accuracy]
            """;

    private record Result(int code, String err, String out) {}

    private static synchronized Result run(String... args) {
        PrintStream err = System.err, out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream(), printed = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            return new Result(Main.run(args), captured.toString(StandardCharsets.UTF_8), printed.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(err);
            System.setOut(out);
        }
    }

    @Test
    void sparkRunEqualsTheInProcessRun() throws IOException {
        Path config = Files.writeString(dir.resolve("run.yaml"), CONFIG);
        Path local = dir.resolve("local"), spark = dir.resolve("spark");
        assertEquals(0, run("train", config.toString(), "--out", local.toString(), "--quiet").code());
        Result r = run("train", config.toString(), "--out", spark.toString(), "--quiet", "--spark", "local[2]");
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(Files.readAllBytes(local.resolve("final.safetensors")), Files.readAllBytes(spark.resolve("final.safetensors")),
                "2 Spark tasks of 2 shards each end with the in-process weights");
        List<String> a = steps(local), b = steps(spark);
        assertEquals(a, b, "the same step losses, learning rates and gradient norms");
        assertTrue(Files.exists(spark.resolve("last.safetensors")) && Files.exists(spark.resolve("report.html")), "rank 0 wrote the run directory");
        // digits: 1437 training rows, 22 full batches of 64 per epoch (the partial one dropped), 2 epochs
        assertTrue(r.out().matches("(?s).*spark: exchange \\d+\\.\\d\\d ms per step \\(rank 0, mean of 44 steps\\).*"), r.out());
    }

    /**
     * A Spark run killed in its first epoch leaves config.yaml, run.json and a log of some steps,
     * but no checkpoint: {@code --resume RUN_DIR --spark local[2]} starts it again in place, as the
     * plain run does, and it ends with the bits and the log (each step once) of an undisturbed run;
     * resumed again once finished, it is left as it is.
     */
    @Test
    void aSparkRunKilledBeforeItsFirstCheckpointRestartsInPlace() throws IOException {
        Path config = Files.writeString(dir.resolve("run.yaml"), CONFIG.replace("epochs: 2", "epochs: 1"));
        Path done = dir.resolve("done"), killed = dir.resolve("killed");
        Result first = run("train", config.toString(), "--out", done.toString(), "--quiet", "--spark", "local[2]");
        assertEquals(0, first.code(), first.err());
        Files.createDirectories(killed);
        for (String f : List.of("config.yaml", "run.json")) Files.copy(done.resolve(f), killed.resolve(f));
        List<String> log = Files.readAllLines(done.resolve("metrics.jsonl"));
        int epochLine = 0;
        while (!log.get(epochLine).contains("\"kind\":\"epoch\"")) epochLine++;
        Files.write(killed.resolve("metrics.jsonl"), log.subList(0, epochLine / 2));
        Result again = run("train", config.toString(), "--resume", killed.toString(), "--quiet", "--spark", "local[2]");
        assertEquals(0, again.code(), again.err());
        assertArrayEquals(Files.readAllBytes(done.resolve("final.safetensors")), Files.readAllBytes(killed.resolve("final.safetensors")));
        assertEquals(steps(done), steps(killed), "each step once, as in the undisturbed run");
        byte[] finalLog = Files.readAllBytes(killed.resolve("metrics.jsonl"));
        Result finished = run("train", config.toString(), "--resume", killed.toString(), "--quiet", "--spark", "local[2]");
        assertEquals(0, finished.code(), finished.err());
        assertArrayEquals(finalLog, Files.readAllBytes(killed.resolve("metrics.jsonl")), "a finished run is left as it is");
    }

    /** The step lines of metrics.jsonl without their wall-clock field. */
    private static List<String> steps(Path run) throws IOException {
        return Files.readAllLines(run.resolve("metrics.jsonl")).stream().filter(l -> l.contains("\"kind\":\"step\""))
                .map(l -> l.replaceAll(",\"seconds\":[^,}]*", "")).toList();
    }

    @Test
    void federatedRunOnSparkEqualsTheInProcessRun() throws IOException {
        Path config = Files.writeString(dir.resolve("fed.yaml"), CONFIG.replace("train: {epochs: 2, batch_size: 64, shards: 4, clip_grad_norm: 1.0}",
                "train: {batch_size: 32}\nfederated: {clients: 6, fraction: 0.5, rounds: 3, partition: {dirichlet: 0.5}, algorithm: fedprox, mu: 0.01,"
                        + " server: {name: fedadam, lr: 0.01}}").replace("batchnorm1d, ", ""));
        Path local = dir.resolve("fed-local"), spark = dir.resolve("fed-spark");
        Result a = run("train", config.toString(), "--out", local.toString(), "--quiet");
        assertEquals(0, a.code(), a.err());
        Result r = run("train", config.toString(), "--out", spark.toString(), "--quiet", "--spark", "local[2]");
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(Files.readAllBytes(local.resolve("final.safetensors")), Files.readAllBytes(spark.resolve("final.safetensors")),
                "rounds whose clients ran as Spark tasks end with the in-process weights");
        assertEquals(3, Files.readAllLines(spark.resolve("metrics.jsonl")).stream().filter(l -> l.contains("\"kind\":\"round\"")).count());
    }

    @Test
    void badSparkArgumentsAreOneLineAndExit2() throws IOException {
        Path config = Files.writeString(dir.resolve("run.yaml"), CONFIG);
        Result r = run("train", config.toString(), "--out", dir.resolve("x").toString(), "--quiet", "--spark", "local[2]", "--tasks", "8");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--tasks: must be between 1 and train.shards (4), got 8"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        Result s = run("train", config.toString(), "--out", dir.resolve("y").toString(), "--quiet", "--spark", "local[2]", "--set", "train.shards=3");
        assertEquals(2, s.code(), s.err());
        assertTrue(s.err().contains("train.shards"), s.err());
        assertFalse(Files.exists(dir.resolve("x").resolve("metrics.jsonl")) || Files.exists(dir.resolve("y").resolve("metrics.jsonl")));
    }

    /** Refusals of a --spark run: one line naming the culprit, exit 2, no run directory. */
    private void refused(String culprit, String... args) {
        Path out = dir.resolve("refused");
        List<String> all = new java.util.ArrayList<>(List.of("train"));
        all.addAll(List.of(args));
        all.addAll(List.of("--out", out.toString(), "--quiet"));
        Result r = run(all.toArray(String[]::new));
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(culprit), r.err());
        assertFalse(Files.exists(out), "nothing written: " + r.err());
    }

    /**
     * An unreachable standalone master (nothing listens at the port; a host that does not resolve)
     * is refused within MasterCheck's 5 s, before Spark's own client would spend a minute retrying;
     * so is a master URL Spark cannot parse.
     */
    @Test
    void anUnreachableMasterIsOneLineAndExit2Quickly() throws IOException {
        Path config = Files.writeString(dir.resolve("run.yaml"), CONFIG);
        Path fed = Files.writeString(dir.resolve("fed.yaml"), CONFIG.replace("train: {epochs: 2, batch_size: 64, shards: 4, clip_grad_norm: 1.0}",
                "train: {batch_size: 32}\nfederated: {clients: 4, rounds: 1}"));
        for (String[] c : new String[][] {
                {"--spark: cannot reach the Spark master spark://127.0.0.1:1 (127.0.0.1:1: Connection refused)", config.toString(), "spark://127.0.0.1:1"},
                {"--spark: cannot reach the Spark master spark://no-such-host.invalid:7077 (no-such-host.invalid: unknown host)",
                        config.toString(), "spark://no-such-host.invalid:7077"},
                {"--spark: cannot reach the Spark master spark://127.0.0.1:1", fed.toString(), "spark://127.0.0.1:1"},
                {"--spark: Could not parse Master URL: 'nowhere'", config.toString(), "nowhere"}}) {
            long start = System.nanoTime();
            refused(c[0], c[1], "--spark", c[2]);
            double seconds = (System.nanoTime() - start) / 1e9;
            // the check's own bound is 5 s; the rest is reading the configuration and data (Spark's retries take 60 s)
            assertTrue(seconds < 20, c[2] + " took " + seconds + " s");
        }
    }

    /** More tasks than Spark's slots, shards that do not divide the batch, a federated client without rows. */
    @Test
    void badRunsForSparkAreRefusedBeforeAnythingIsWritten() throws IOException {
        Path config = Files.writeString(dir.resolve("run.yaml"), CONFIG);
        refused("--tasks: 2 tasks, but Spark (local[1]) offers 1 task slots: a barrier stage runs all its tasks at once",
                config.toString(), "--spark", "local[1]", "--tasks", "2");
        refused("train.shards: 128 does not divide the batch size 64", config.toString(), "--spark", "local[2]", "--set", "train.shards=128");
        Path fed = Files.writeString(dir.resolve("fed.yaml"), CONFIG.replace("train: {epochs: 2, batch_size: 64, shards: 4, clip_grad_norm: 1.0}",
                "train: {batch_size: 32}\nfederated: {clients: 300, rounds: 1, partition: {dirichlet: 0.01}}"));
        refused("has no rows", fed.toString(), "--spark", "local[2]");
    }
}
