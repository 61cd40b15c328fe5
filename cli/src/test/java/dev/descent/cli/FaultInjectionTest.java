package dev.descent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite of issue 17: {@code descent train} runs as a child JVM and is killed with
 * SIGKILL ({@code kill -9}) at seeded random moments (while starting, during steps, while
 * writing checkpoints, while writing the final model, test line and report), then continued with
 * {@code --resume RUN_DIR} (or started again when it died before creating its run directory),
 * killed again, and so on until a child finishes. The run directory must then hold the same bytes
 * as an uninterrupted run of the same configuration: final, best and last checkpoints, the
 * confusion matrix, and metrics.jsonl (its times aside). Eight configurations: plain (with the
 * default checkpoint interval, so its only checkpoint is written when training ends); validation
 * with checkpoint(best); early stopping with restore_best; a plateau schedule behind a warmup;
 * warmup + cosine; dropout; batch norm; a federated run (FedAdam server, a checkpoint per round).
 * At least {@value #KILLS} kills in all.
 *
 * <p>Each kill is aimed, by a seeded generator ({@code -Ddescent.faults.seed=N} to change it,
 * {@code -Ddescent.faults.kills=N} for a longer run), at one phase: a random moment of the
 * start, a random step (watching metrics.jsonl), a few milliseconds after an epoch line (the
 * checkpoint is written right after it), or a moment after the end line (final model, test line,
 * report); for the federated run, round lines stand for both steps and epochs, and its last round
 * line for the end line. Where a kill lands still depends on the machine's speed, so the suite prints what each
 * kill left behind. The uninterrupted runs are made in this JVM, which also checks that a child
 * JVM (C1 only, serial GC) computes the same bits.
 */
class FaultInjectionTest {
    static final int KILLS = Integer.getInteger("descent.faults.kills", 35);
    private static final long SEED = Long.getLong("descent.faults.seed", 17);

    @TempDir Path dir;

    private static final String BASE = """
            seed: 3
            data: {train: iris.csv, target: species, validation_split: 0.2, scale: standard}
            model: [linear: 8, relu, linear: 3]
            loss: cross_entropy
            optimizer: {name: adam, lr: 0.03}
            train: {epochs: 8, batch_size: 16}
            metrics: [accuracy]
            """;

    /** The configurations, by name. */
    private static Map<String, String> configurations() {
        Map<String, String> c = new LinkedHashMap<>();
        // "plain" keeps the default checkpoint interval (5 s: these runs write last.safetensors
        // once, when training ends); the others checkpoint every epoch, so kills also land
        // between and during checkpoints of a run in progress.
        String everyEpoch = "callbacks: {checkpoint: {every_seconds: 0}}\n";
        c.put("plain", BASE.replace("validation_split: 0.2, ", ""));
        c.put("checkpoint_best", BASE + "callbacks: {checkpoint: {monitor: val_accuracy, every_seconds: 0}}\n");
        c.put("early_stopping", BASE.replace("epochs: 8", "epochs: 40").replace("lr: 0.03", "lr: 0.1")
                + "callbacks: {early_stopping: {patience: 2, restore_best: true}, checkpoint: {every_seconds: 0}}\n");
        c.put("plateau", BASE + "schedule: {name: plateau, patience: 0, factor: 0.5, warmup_steps: 4}\n" + everyEpoch);
        c.put("warmup_cosine", BASE + "schedule: {name: cosine, warmup_steps: 6}\n" + everyEpoch);
        c.put("dropout", BASE.replace("[linear: 8, relu, linear: 3]", "[linear: 16, relu, dropout: 0.3, linear: 3]") + everyEpoch);
        c.put("batchnorm", BASE.replace("[linear: 8, relu, linear: 3]", "[linear: 8, batchnorm1d, relu, linear: 3]") + everyEpoch);
        c.put(FEDERATED, BASE.replace("epochs: 8, batch_size: 16", "batch_size: 8") + "federated: {clients: 4, fraction: 0.5, rounds: "
                + FEDERATED_ROUNDS + ", local_epochs: 2, server: {name: fedadam, lr: 0.02}}\n");
        return c;
    }

    private static final String FEDERATED = "federated";
    private static final int FEDERATED_ROUNDS = 8;

    /** The files compared byte for byte (metrics.jsonl without its times). */
    private static final List<String> COMPARED = List.of("final.safetensors", "last.safetensors", "best.safetensors", "confusion_matrix.json",
            "metrics.jsonl", "config.yaml", "run.json");

    private static Process start(Path config, Path out, Path log, String... how) throws IOException {
        return start(List.of(), config, out, log, how);
    }

    /**
     * SIGINT as a terminal delivers it: a process started in the background by a non-interactive
     * shell (CI scripts) inherits SIGINT ignored (POSIX), and a JVM leaves an ignored SIGINT
     * ignored; GNU env's --default-signal gives the child the default disposition back. Empty when
     * this env does not have the option.
     */
    private static List<String> defaultSigint() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("env", "--default-signal=INT", "true").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0 ? List.of("env", "--default-signal=INT") : List.of();
    }

    private static Process start(List<String> prefix, Path config, Path out, Path log, String... how) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xss8m", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "train", config.toString(), "--quiet"));
        cmd.addAll(List.of(how));
        if (how.length == 0) cmd.addAll(List.of("--out", out.toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    private static int finish(Process p, Path log) throws Exception {
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child did not finish in 120 s; its output: " + Files.readString(log));
        }
        return p.exitValue();
    }

    private static Map<String, byte[]> outputs(Path run) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        for (String f : COMPARED) {
            Path p = run.resolve(f);
            if (!Files.exists(p)) continue;
            byte[] b = Files.readAllBytes(p);
            if (f.equals("metrics.jsonl")) {
                b = new String(b, StandardCharsets.UTF_8).replaceAll(",\"seconds\":[^,}]*", "").getBytes(StandardCharsets.UTF_8);
            }
            out.put(f, b);
        }
        return out;
    }

    private static void assertSame(Map<String, byte[]> want, Map<String, byte[]> got, String what) {
        assertEquals(want.keySet(), got.keySet(), what + ": the same files");
        for (String f : want.keySet()) {
            if (f.equals("metrics.jsonl")) {
                assertEquals(new String(want.get(f), StandardCharsets.UTF_8), new String(got.get(f), StandardCharsets.UTF_8), what + ": " + f);
            } else {
                assertArrayEquals(want.get(f), got.get(f), what + ": " + f);
            }
        }
    }

    /** What a kill left behind: a temporary file (killed mid-write), an end line (killed after training), or neither. */
    private static String leftBehind(Path run) throws IOException {
        if (!Files.exists(run.resolve("metrics.jsonl"))) return "no log yet";
        List<String> names = new ArrayList<>();
        try (var files = Files.walk(run)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).forEach(names::add);
        }
        if (!names.isEmpty()) return "a half-written " + names.get(0).substring(1, names.get(0).indexOf('.', 1)) + " file";
        return Files.readString(run.resolve("metrics.jsonl")).contains("\"kind\":\"end\"") ? "an end line" : "a log without end";
    }

    /** Where a kill is aimed; chosen at random for each kill. */
    private enum Aim { STARTING, STEPS, CHECKPOINT, REPORT }

    private static int count(Path metrics, String kind) {
        try {
            if (!Files.exists(metrics)) return 0;
            String text = Files.readString(metrics);
            int n = 0;
            for (int i = text.indexOf("\"kind\":\"" + kind + "\""); i >= 0; i = text.indexOf("\"kind\":\"" + kind + "\"", i + 1)) n++;
            return n;
        } catch (IOException e) {
            return 0; // being replaced: read again
        }
    }

    /**
     * Waits until {@code ready} holds while the child lives, polling every millisecond; false when
     * the child exited first.
     */
    private static boolean waitUntil(Process child, java.util.function.BooleanSupplier ready) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (child.isAlive()) {
            if (ready.getAsBoolean()) return true;
            if (System.nanoTime() > deadline) throw new AssertionError("child neither progressed nor ended in 120 s");
            Thread.sleep(1);
        }
        return false;
    }

    /**
     * Kills the child at a moment of the aimed phase (SIGKILL): while starting, after a random
     * step, just after an epoch line (when the checkpoint is being written), or after the end line
     * (final model, test line, report). False when the child finished first.
     */
    private static boolean killAt(Aim aim, Process child, Path run, Random random, boolean federated) throws InterruptedException {
        Path metrics = run.resolve("metrics.jsonl");
        String step = federated ? "round" : "step", epoch = federated ? "round" : "epoch";
        boolean reached = switch (aim) {
            case STARTING -> !child.waitFor(50 + random.nextInt(600), TimeUnit.MILLISECONDS);
            case STEPS -> {
                int target = count(metrics, step) + 1 + random.nextInt(federated ? 3 : 12);
                yield waitUntil(child, () -> count(metrics, step) >= target);
            }
            case CHECKPOINT -> {
                int target = count(metrics, epoch) + 1 + random.nextInt(2);
                yield waitUntil(child, () -> count(metrics, epoch) >= target) && !child.waitFor(random.nextInt(12), TimeUnit.MILLISECONDS);
            }
            case REPORT -> waitUntil(child, () -> federated ? count(metrics, "round") >= FEDERATED_ROUNDS : count(metrics, "end") > 0)
                    && !child.waitFor(random.nextInt(250), TimeUnit.MILLISECONDS);
        };
        if (!reached) return false;
        child.destroyForcibly(); // SIGKILL
        child.waitFor();
        return true;
    }

    @Test
    void killedAtRandomAndResumedRunsEndWithTheBitsOfUninterruptedRuns() throws Exception {
        long started = System.nanoTime();
        copyIris();
        Map<String, String> configs = configurations();
        Random random = new Random(SEED);
        Map<String, Integer> aimed = new TreeMap<>(), left = new TreeMap<>();
        int kills = 0, children = 0;
        int perConfig = (KILLS + configs.size() - 1) / configs.size();
        for (var e : configs.entrySet()) {
            String name = e.getKey();
            Path config = Cli.write(dir, name + ".yaml", e.getValue());
            Path reference = dir.resolve(name + "-reference");
            var r = Cli.run("train", config.toString(), "--quiet", "--out", reference.toString());
            assertEquals(0, r.code(), name + ": " + r.err());
            Map<String, byte[]> want = outputs(reference);
            if (name.equals("early_stopping")) {
                assertTrue(Files.readString(reference.resolve("metrics.jsonl")).contains("stopped: early stopping"), "the configuration stops early");
            }
            if (name.equals("checkpoint_best")) assertTrue(want.containsKey("best.safetensors"));

            int killed = 0, episode = 0;
            while (killed < perConfig) {
                Path run = dir.resolve(name + "-" + episode++);
                Path log = dir.resolve(run.getFileName() + ".log");
                while (true) {
                    Process child = Files.exists(run.resolve("metrics.jsonl")) || Files.exists(run.resolve("config.yaml"))
                            ? start(config, run, log, "--resume", run.toString()) : start(config, run, log);
                    children++;
                    Aim aim = Aim.values()[random.nextInt(Aim.values().length)];
                    if (killed < perConfig && killAt(aim, child, run, random, name.equals(FEDERATED))) {
                        killed++;
                        aimed.merge(aim.name().toLowerCase(), 1, Integer::sum);
                        left.merge(leftBehind(run), 1, Integer::sum);
                        continue;
                    }
                    assertEquals(0, finish(child, log), name + ": the child that ran to the end succeeds; output:\n" + Files.readString(log));
                    break;
                }
                // The child JVM (C1 only, serial GC), killed and resumed, against this JVM's uninterrupted run.
                assertSame(want, outputs(run), name + " after " + killed + " kills so far");
            }
            kills += killed;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("fault suite: %d kills survived in %d configurations, %d child JVMs, %.1f s; kills aimed at %s; they left %s%n",
                kills, configs.size(), children, seconds, aimed, left);
        assertTrue(kills >= 30, "at least 30 kills, got " + kills);
    }

    /**
     * Ctrl-C (SIGINT) in the first epoch stops after the step with an end line and the --resume
     * hint; the run has no checkpoint yet, so --resume starts it again in place, and it ends as an
     * uninterrupted run.
     */
    @Test
    void ctrlCEndsWithAnEndLineAndAHintAndTheRunResumes() throws Exception {
        copyIris();
        Path config = Cli.write(dir, "long.yaml", BASE.replace("epochs: 8", "epochs: 200"));
        Path reference = dir.resolve("reference");
        assertEquals(0, Cli.run("train", config.toString(), "--quiet", "--out", reference.toString()).code());
        Path run = dir.resolve("run"), log = dir.resolve("run.log");
        Process child = start(defaultSigint(), config, run, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.exists(run.resolve("metrics.jsonl")) && Files.readString(run.resolve("metrics.jsonl")).contains("\"kind\":\"step\""))) {
            assertTrue(child.isAlive(), "the run ended before it could be interrupted: " + Files.readString(log));
            assertTrue(System.nanoTime() < deadline, "no step line within 60 s");
            Thread.sleep(20);
        }
        assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start().waitFor());
        assertEquals(TrainCommand.INTERRUPTED, finish(child, log), Files.readString(log));
        String out = Files.readString(log);
        assertTrue(out.contains("--resume " + run), out);
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertTrue(lines.get(lines.size() - 1).contains("\"reason\":\"stopped: interrupted (Ctrl-C)\""), lines.get(lines.size() - 1));
        assertEquals(0, finish(start(config, run, log, "--resume", run.toString()), log), Files.readString(log));
        assertSame(outputs(reference), outputs(run), "interrupted and resumed");
    }

    /**
     * Ctrl-C (SIGINT) during a federated run stops it after the round in progress, whose checkpoint
     * is written: exit 130, an end line after that round's line and the --resume hint; resumed, it
     * ends with the bits of an uninterrupted run.
     */
    @Test
    void ctrlCStopsAFederatedRunAfterItsRoundAndItResumes() throws Exception {
        copyIris();
        int rounds = 400;
        Path config = Cli.write(dir, "fed-long.yaml", configurations().get(FEDERATED).replace("rounds: " + FEDERATED_ROUNDS, "rounds: " + rounds));
        Path reference = dir.resolve("reference");
        assertEquals(0, Cli.run("train", config.toString(), "--quiet", "--out", reference.toString()).code());
        Path run = dir.resolve("run"), log = dir.resolve("run.log");
        Process child = start(defaultSigint(), config, run, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (count(run.resolve("metrics.jsonl"), "round") == 0) {
            assertTrue(child.isAlive(), "the run ended before it could be interrupted: " + Files.readString(log));
            assertTrue(System.nanoTime() < deadline, "no round line within 60 s");
            Thread.sleep(5);
        }
        assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start().waitFor());
        assertEquals(TrainCommand.INTERRUPTED, finish(child, log), Files.readString(log));
        assertTrue(Files.readString(log).contains("--resume " + run), Files.readString(log));
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        String end = lines.get(lines.size() - 1);
        int stoppedAt = count(run.resolve("metrics.jsonl"), "round");
        assertTrue(stoppedAt < rounds, "stopped early, after round " + stoppedAt);
        assertEquals("{\"kind\":\"end\",\"round\":" + stoppedAt + ",\"reason\":\"stopped: interrupted (Ctrl-C)\"}", end);
        assertTrue(lines.get(lines.size() - 2).contains("\"round\":" + stoppedAt + ","), "the end line follows its round's line");
        assertEquals(0, finish(start(config, run, log, "--resume", run.toString()), log), Files.readString(log));
        assertSame(outputs(reference), outputs(run), "interrupted and resumed");
    }

    private void copyIris() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/e2e/iris.csv")) {
            Files.copy(in, dir.resolve("iris.csv"), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
