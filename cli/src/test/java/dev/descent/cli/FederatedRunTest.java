package dev.descent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.descent.io.Safetensors;
import dev.descent.io.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** descent train with a federated: section: per-round lines, final weights, reproducible, bad sections exit 2. */
class FederatedRunTest {
    @TempDir Path dir;

    static final String CONFIG = """
            seed: 4
            data: {train: builtin:digits.csv, target: digit, validation_split: 0.2, scale: {divide: 16}}
            model: [linear: 32, relu, linear: 10]
            loss: cross_entropy
            optimizer: {name: adam, lr: 0.01}
            train: {batch_size: 32}
            metrics: [accuracy]
            federated: {clients: 6, fraction: 0.5, rounds: 4, local_epochs: 1, partition: {dirichlet: 0.5},
                        algorithm: fedprox, mu: 0.01, server: fedavg}
            """;

    private static List<JsonNode> rounds(Path run) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String l : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode n = json.readTree(l);
            if (n.path("kind").asText().equals("round")) out.add(n);
        }
        return out;
    }

    @Test
    void trainsRoundsAndWritesTheRunDirectory() throws IOException {
        Path config = Cli.write(dir, "fed.yaml", CONFIG);
        Path a = dir.resolve("a"), b = dir.resolve("b");
        var r = Cli.run("train", config.toString(), "--out", a.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertEquals(0, Cli.run("train", config.toString(), "--out", b.toString(), "--quiet").code());
        List<JsonNode> rounds = rounds(a);
        assertEquals(4, rounds.size());
        for (JsonNode n : rounds) {
            assertEquals(3, n.get("clients").asInt(), "ceil(0.5 x 6) clients");
            assertTrue(n.get("drift").asDouble() > 0 && n.has("val_loss") && n.has("val_accuracy"), n.toString());
        }
        // 4 rounds of one local epoch on 3 of 6 label-skewed clients: well above chance (0.1) on held-out digits
        assertTrue(rounds.getLast().get("val_accuracy").asDouble() > 0.5, rounds.getLast().toString());
        assertArrayEquals(Files.readAllBytes(a.resolve("final.safetensors")), Files.readAllBytes(b.resolve("final.safetensors")), "same seed, same bits");

        // As any run: an end line, the confusion matrix (on the validation rows: no test data) and report.html, with per-round curves
        assertEquals("{\"kind\":\"end\",\"round\":4,\"reason\":\"completed\"}", Files.readAllLines(a.resolve("metrics.jsonl")).getLast());
        assertTrue(Files.readString(a.resolve("confusion_matrix.json")).contains("\"data\" : \"validation\""));
        String html = Files.readString(a.resolve("report.html"));
        assertTrue(html.contains("Rounds completed") && html.contains("best at round") && html.contains("completed"), "report header and table");
        String lastAccuracy = String.format(java.util.Locale.ROOT, "%.4f", rounds.getLast().get("val_accuracy").asDouble());
        assertTrue(html.contains(lastAccuracy), "the final-metrics table has the last round's validation accuracy " + lastAccuracy);
        for (String png : List.of("loss_rounds.png", "drift_rounds.png", "val_metrics.png", "confusion_matrix.png")) {
            assertTrue(Files.size(a.resolve("charts").resolve(png)) > 1000, png);
        }
        assertFalse(Files.exists(a.resolve("charts").resolve("loss_steps.png")), "rounds are not steps");
    }

    /**
     * callbacks.tensorboard in a federated run: one event file in RUN_DIR/tb (its points are
     * checked against metrics.jsonl by RoundLogTest's decoder and, with TensorBoard's own reader,
     * by scripts/check-interop.sh), the same final weights as without it; a bad form is refused
     * before anything is written.
     */
    @Test
    void tensorboardLogsTheRoundsAndABadFormIsRefused() throws IOException {
        Path config = Cli.write(dir, "fed.yaml", CONFIG + "callbacks: {tensorboard: true}\n");
        Path run = dir.resolve("tb-run"), plain = dir.resolve("plain");
        var r = Cli.run("train", config.toString(), "--out", run.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        try (var files = Files.list(run.resolve("tb"))) {
            List<Path> events = files.toList();
            assertEquals(1, events.size(), events.toString());
            assertTrue(events.getFirst().getFileName().toString().startsWith("events.out.tfevents."));
            assertTrue(Files.size(events.getFirst()) > 200, "the version event, the config text and 4 rounds of points");
        }
        assertEquals(0, Cli.run("train", Cli.write(dir, "plain.yaml", CONFIG).toString(), "--out", plain.toString(), "--quiet").code());
        assertArrayEquals(Files.readAllBytes(plain.resolve("final.safetensors")), Files.readAllBytes(run.resolve("final.safetensors")));

        Path bad = Cli.write(dir, "bad.yaml", CONFIG + "callbacks: {tensorboard: {dirr: x}}\n");
        r = Cli.run("train", bad.toString(), "--out", dir.resolve("bad").toString(), "--quiet");
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.errorLines().lines().count(), r.err());
        assertTrue(r.errorLines().contains("callbacks.tensorboard.dirr"), r.err());
        assertFalse(Files.exists(dir.resolve("bad")), "nothing written by a refused run");
    }

    @Test
    void batchNormCounterIsWrittenAsI64AsThePlainRunDoes() throws IOException {
        Path config = Cli.write(dir, "bn.yaml", CONFIG.replace("[linear: 32, relu, linear: 10]", "[linear: 32, batchnorm1d, relu, linear: 10]")
                .replace("rounds: 4", "rounds: 1"));
        Path run = dir.resolve("bn");
        var r = Cli.run("train", config.toString(), "--out", run.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        SafetensorsFile file = Safetensors.read(run.resolve("final.safetensors"));
        assertEquals("I64", file.dtypes().get("1.num_batches_tracked"), file.dtypes().toString());
        assertEquals("F32", file.dtypes().get("1.running_mean"), file.dtypes().toString());
        // The server averages the clients' counts (a weighted mean of their batch counts); written
        // as a whole number: at least one batch per client in the one round
        double count = file.tensor("1.num_batches_tracked").item();
        assertTrue(count >= 1 && count == Math.rint(count), "count " + count);
    }

    /** Every file of a run directory (the report's charts included), by relative path. */
    private static java.util.Map<String, byte[]> files(Path run) throws IOException {
        java.util.Map<String, byte[]> out = new java.util.TreeMap<>();
        try (var list = Files.walk(run)) {
            for (Path p : list.filter(Files::isRegularFile).toList()) out.put(run.relativize(p).toString(), Files.readAllBytes(p));
        }
        return out;
    }

    /**
     * Resumed after round 2 of 4 (a run of 2 rounds continued to 4 with --allow-changes), with the
     * FedAdam server's moments in the checkpoint: the final weights, the last checkpoint and every
     * round line are those of the uninterrupted run. The kills at random moments are
     * FaultInjectionTest's.
     */
    @Test
    void aResumedRunContinuesWithTheBitsOfAnUninterruptedOne() throws IOException {
        Path config = Cli.write(dir, "adam.yaml", CONFIG.replace("server: fedavg", "server: {name: fedadam, lr: 0.02}"));
        Path a = dir.resolve("a"), b = dir.resolve("b");
        assertEquals(0, Cli.run("train", config.toString(), "--out", a.toString(), "--quiet").code());
        var first = Cli.run("train", config.toString(), "--out", b.toString(), "--quiet", "--set", "federated.rounds=2");
        assertEquals(0, first.code(), first.err());
        assertEquals(2, rounds(b).size());
        var rest = Cli.run("train", config.toString(), "--resume", b.toString(), "--quiet", "--allow-changes");
        assertEquals(0, rest.code(), rest.err());
        assertArrayEquals(Files.readAllBytes(a.resolve("final.safetensors")), Files.readAllBytes(b.resolve("final.safetensors")));
        assertArrayEquals(Files.readAllBytes(a.resolve("last.safetensors")), Files.readAllBytes(b.resolve("last.safetensors")));
        assertEquals(rounds(a), rounds(b));
        assertTrue(Files.readString(b.resolve("metrics.jsonl")).contains("{\"kind\":\"resume\",\"round\":2,\"changed\":[\"federated.rounds\"]}"));
    }

    @Test
    void aRefusedOrFinishedResumeChangesNothing() throws IOException {
        Path config = Cli.write(dir, "fed.yaml", CONFIG.replace("rounds: 4", "rounds: 2"));
        Path run = dir.resolve("run");
        assertEquals(0, Cli.run("train", config.toString(), "--out", run.toString(), "--quiet").code());
        var before = files(run);
        var changed = Cli.run("train", config.toString(), "--resume", run.toString(), "--quiet", "--set", "federated.mu=0.1");
        assertEquals(2, changed.code(), changed.err());
        assertTrue(changed.errorLines().contains("federated.mu (0.01 in the run, 0.1 now)"), changed.err());
        var done = Cli.run("train", config.toString(), "--resume", run.toString());
        assertEquals(0, done.code(), done.err());
        assertTrue(done.out().contains("already finished"), done.out());
        Path other = Cli.write(dir, "other.yaml", CONFIG.replace("[linear: 32, relu, linear: 10]", "[linear: 10]").replace("rounds: 4", "rounds: 2"));
        var misfit = Cli.run("train", other.toString(), "--resume", run.resolve("last.safetensors").toString(), "--quiet", "--allow-changes");
        assertEquals(2, misfit.code(), misfit.err());
        assertTrue(misfit.errorLines().contains("does not fit this configuration"), misfit.err());
        var after = files(run);
        assertEquals(before.keySet(), after.keySet());
        before.forEach((k, v) -> assertArrayEquals(v, after.get(k), k + " unchanged"));
    }

    @Test
    void badFederatedSectionsAreOneLineAndExit2() throws IOException {
        Path c1 = Cli.write(dir, "c1.yaml", CONFIG.replace("mu: 0.01, ", ""));
        var r1 = Cli.run("train", c1.toString(), "--out", dir.resolve("x").toString(), "--quiet");
        assertEquals(2, r1.code(), r1.err());
        assertTrue(r1.errorLines().contains("federated.mu"), r1.err());
        Path c2 = Cli.write(dir, "c2.yaml", CONFIG.replace("clients: 6", "clients: 300").replace("dirichlet: 0.5", "dirichlet: 0.01"));
        var r2 = Cli.run("train", c2.toString(), "--out", dir.resolve("y").toString(), "--quiet");
        assertEquals(2, r2.code(), r2.err());
        assertTrue(r2.errorLines().contains("federated.partition") && r2.errorLines().contains("has no rows"), r2.err());
        assertEquals(1, r2.errorLines().lines().count());
        assertFalse(Files.exists(dir.resolve("x").resolve("metrics.jsonl")) || Files.exists(dir.resolve("y").resolve("metrics.jsonl")));
    }
}
