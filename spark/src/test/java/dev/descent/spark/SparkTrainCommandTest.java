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

    private record Result(int code, String err) {}

    private static synchronized Result run(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            return new Result(Main.run(args), captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(err);
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
}
