package dev.descent.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console of {@code descent train|tune RUN.yaml --spark local[2]}: Descent's own lines, and no
 * Spark logging (issue 14/15: Spark's INFO lines buried them). Each command runs in a JVM of its
 * own, as the launcher and spark-submit run it ({@link SparkMain}, the main class directories and
 * jars, none of the tests' resources: their log4j2.properties would keep Spark at WARN whatever
 * the code did), so the log4j 2 configuration is the one a user gets.
 */
class SparkConsoleTest {
    @TempDir Path dir;

    private static final String CONFIG = """
            seed: 3
            data: {train: builtin:digits.csv, target: digit, validation_split: 0.2, scale: {divide: 16}}
            model: [linear: 16, relu, linear: 10]
            loss: cross_entropy
            optimizer: {name: adam, lr: 0.003}
            train: {epochs: 1, batch_size: 256, shards: 2}
            metrics: [accuracy]
            """;

    /** A line of Spark's log4j 2 pattern ({@code %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m}), at any level. */
    private static final Pattern SPARK_LOG_LINE = Pattern.compile("(?m)^\\d\\d/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d [A-Z]+ \\w+: ");
    /** The JVM's notice for the Vector API module, which the launcher's stderr filter drops. */
    private static final String INCUBATOR = "WARNING: Using incubator modules: jdk.incubator.vector";

    private record Console(int code, String out, String err) {
        /** stderr without the JVM's incubator notice. */
        List<String> errLines() {
            return err.lines().filter(l -> !l.equals(INCUBATOR)).toList();
        }
    }

    private Console descent(List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Spark's module flags, less the package JDK 25 no longer has (the JVM warns about it; the launcher leaves it out)
        Arrays.stream(System.getProperty("descent.spark.jvmFlags", "").trim().split("\\s+"))
                .filter(f -> !f.isEmpty() && !f.contains("sun.security.action")).forEach(cmd::add);
        cmd.add("-Xmx1g");
        cmd.addAll(jvmOptions);
        List<String> runtime = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !Path.of(e).endsWith("test-classes")).toList();
        cmd.addAll(List.of("-cp", String.join(File.pathSeparator, runtime), SparkMain.class.getName()));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("stdout.txt"), err = dir.resolve("stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("descent " + String.join(" ", args) + " ran past 180 s; stderr: " + Files.readString(err));
        }
        return new Console(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void trainAndTuneOnSparkPrintOnlyDescentsLines() throws IOException, InterruptedException {
        Files.writeString(dir.resolve("run.yaml"), CONFIG);
        Console train = descent(List.of(), "train", "run.yaml", "--out", "run", "--spark", "local[2]");
        assertEquals(0, train.code(), train.err());
        assertEquals(List.of(), train.errLines(), "nothing on stderr: no Spark, Hadoop or JVM lines");
        assertTrue(train.out().startsWith("spark: local[2], 2 tasks, 2 shards\n"), train.out());
        assertTrue(train.out().contains("\nepoch 1  loss ") && train.out().contains("\nrun directory: run\n"), train.out());

        Files.writeString(dir.resolve("tune.yaml"), CONFIG + """
                search:
                  metric: val_accuracy
                  trials: 2
                  parallel: 2
                  params: {optimizer.lr: {log_uniform: [1e-3, 1e-2]}}
                """);
        Console tune = descent(List.of(), "tune", "tune.yaml", "--out", "study", "--spark", "local[2]");
        assertEquals(0, tune.code(), tune.err());
        assertEquals(List.of(), tune.errLines(), "nothing on stderr: no Spark, Hadoop or JVM lines");
        assertTrue(tune.out().startsWith("spark: local[2], 2 trials at once (2 slots)\n"), tune.out());
        assertTrue(tune.out().contains("\nstudy directory: study\n"), tune.out());
    }

    /** Spark's own switch brings its INFO logging back, on stderr, from its first line on; stdout stays Descent's. */
    @Test
    void sparkLogLevelInfoBringsSparksLinesBack() throws IOException, InterruptedException {
        Files.writeString(dir.resolve("run.yaml"), CONFIG);
        Console train = descent(List.of("-Dspark.log.level=info"), "train", "run.yaml", "--out", "run", "--spark", "local[2]");
        assertEquals(0, train.code(), train.err());
        assertTrue(Pattern.compile("(?m)^[\\d/]+ [\\d:]+ INFO SparkContext: Running Spark version 4\\.2\\.0$").matcher(train.err()).find(),
                train.err());
        assertTrue(Pattern.compile("(?m)^[\\d/]+ [\\d:]+ INFO DAGScheduler: Job 0 is finished").matcher(train.err()).find(), train.err());
        assertFalse(SPARK_LOG_LINE.matcher(train.out()).find(), "Spark logs on stderr only: " + train.out());
        assertTrue(train.out().startsWith("spark: local[2], 2 tasks, 2 shards\n"), train.out());
    }

    /** A level Spark does not know: one line naming the setting, exit 2, nothing written. */
    @Test
    void anUnknownLevelIsOneLineAndExit2() throws IOException, InterruptedException {
        Files.writeString(dir.resolve("run.yaml"), CONFIG);
        Console train = descent(List.of("-Dspark.log.level=loud"), "train", "run.yaml", "--out", "run", "--spark", "local[2]");
        assertEquals(2, train.code(), train.err());
        assertEquals(List.of("descent train: error: spark.log.level: must be one of ALL, DEBUG, ERROR, FATAL, INFO, OFF, TRACE, WARN, got 'loud'"),
                train.errLines());
        assertFalse(Files.exists(dir.resolve("run")), "nothing written");
    }
}
