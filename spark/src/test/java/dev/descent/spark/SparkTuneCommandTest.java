package dev.descent.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code descent tune RUN.yaml --spark local[2]}: trials as Spark tasks, the study on the driver. */
class SparkTuneCommandTest {
    @TempDir Path dir;

    /**
     * TPE, the median pruner after 2 trials on each of 3 validations, and a batch size of 0 among
     * the choices (the check before the study tries only the first), which fails its trial with a
     * configuration error, re-run once by retry_failed: so the study holds completed, pruned and
     * failed trials and re-runs.
     */
    private static final String CONFIG = """
            seed: 4
            data: {train: builtin:digits.csv, target: digit, validation_split: 0.2, scale: {divide: 16}}
            model: [linear: 16, relu, linear: 10]
            loss: cross_entropy
            optimizer: {name: sgd, lr: 0.1}
            train: {epochs: 3, batch_size: 128}
            metrics: [accuracy]
            search:
              metric: val_accuracy
              sampler: tpe
              pruner: {name: median, startup_trials: 2}
              trials: 8
              parallel: 2
              retry_failed: 1
              params:
                optimizer.lr: {choices: [0.003, 0.03, 0.3]}
                optimizer.momentum: {uniform: [0.0, 0.9]}
                train.batch_size: {choices: [32, 128, 0]}
            """;

    private record Result(int code, String out, String err) {}

    private static synchronized Result run(String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            return new Result(Main.run(args), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /**
     * The promise of parallel: P (trial n's parameters depend only on the seed and trials 0..n-P,
     * its pruner sees those too) holds when the trials train as Spark tasks: leaderboard.csv (each
     * trial's number, exact value, state, exact parameters, error) and best.yaml are the bytes of
     * the in-process study with parallel: 2, pruned, failed and re-run trials included.
     */
    @Test
    void trialsOnSparkGiveTheInProcessStudy() throws IOException {
        Path config = Files.writeString(dir.resolve("tune.yaml"), CONFIG);
        Path local = dir.resolve("local"), spark = dir.resolve("spark");
        Result a = run("tune", config.toString(), "--out", local.toString(), "--threads", "1");
        assertEquals(0, a.code(), a.err());
        Result b = run("tune", config.toString(), "--out", spark.toString(), "--spark", "local[2]");
        assertEquals(0, b.code(), b.err());
        assertTrue(b.out().contains("spark: local[2], 2 trials at once (2 slots)"), b.out());
        String board = Files.readString(local.resolve("leaderboard.csv"));
        assertEquals(board, Files.readString(spark.resolve("leaderboard.csv")));
        assertEquals(Files.readString(local.resolve("best.yaml")), Files.readString(spark.resolve("best.yaml")));
        assertTrue(Files.exists(spark.resolve("tune.html")) && Files.exists(spark.resolve("trials").resolve("0007").resolve("metrics.jsonl")),
                "the report, and each trial's run written by its task");
        List<String> states = board.lines().skip(1).map(l -> l.split(",", -1)[3]).toList();
        // 8 counted trials plus the failed one whose re-run took its place in the count
        assertEquals(9, states.size(), board);
        for (String s : List.of("complete", "pruned", "fail")) assertTrue(states.contains(s), "the study exercises " + s + ": " + board);
    }

    private static final AtomicInteger ATTEMPTS = new AtomicInteger();

    /**
     * A task that dies (here it throws; RemoteTrial itself returns its trial's exceptions, so
     * what reaches Spark is an Error or a lost executor) is tried once, not the
     * four times of Spark's default, and comes back as one line for the trial's FAIL record.
     */
    @Test
    void aLostTaskIsTriedOnceAndReportedInOneLine() {
        try (var trials = (SparkTrialEngine.SparkTrials) new SparkTrialEngine().start("local[2]", "lost task")) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> trials.once(7, n -> {
                ATTEMPTS.incrementAndGet();
                throw new IllegalStateException("simulated loss of trial " + n);
            }));
            assertTrue(e.getMessage().startsWith("spark task lost: ") && e.getMessage().contains("simulated loss of trial 7"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
            assertEquals(1, ATTEMPTS.get(), "tried once");
            assertEquals("1", trials.conf("spark.task.maxFailures"), "once on a cluster too, where the master string does not decide it");
        }
    }

    /** A standalone master nobody listens at: one line naming it, exit 2, no study directory. */
    @Test
    void anUnreachableMasterIsOneLineAndWritesNothing() throws IOException {
        Path config = Files.writeString(dir.resolve("tune.yaml"), CONFIG);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();   // free, and closed again: nothing listens there
        }
        Path out = dir.resolve("study");
        Result r = run("tune", config.toString(), "--out", out.toString(), "--spark", "spark://127.0.0.1:" + port);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--spark: cannot reach the Spark master spark://127.0.0.1:" + port), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(out), "nothing written");
    }
}
