package dev.descent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code descent train} end to end: PyTorch's reference run, the contract config, the run directory, resume. */
class TrainCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    static List<JsonNode> lines(Path metrics, String kind) throws IOException {
        return Files.readAllLines(metrics).stream().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (IOException e) {
                throw new AssertionError("metrics.jsonl line is not JSON: " + l, e);
            }
        }).filter(n -> n.get("kind").asText().equals(kind)).toList();
    }

    /**
     * The contract config without schedule and clipping is ../shared/reference/e2e/sgd_momentum.json's
     * run: every step loss to 1e-4 relative and the test accuracy exactly (see the core replay test
     * for why 1e-4).
     */
    @Test
    void reproducesPyTorchsReferenceRun() throws IOException {
        Cli.copyFixture(dir);
        assertTrue(!Cli.REFERENCE.contains("schedule") && !Cli.REFERENCE.contains("clip"), Cli.REFERENCE);
        Path config = Cli.write(dir, "reference.yaml", Cli.REFERENCE);
        Path run = dir.resolve("run");
        var r = Cli.run("train", config.toString(), "--out", run.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        JsonNode ref;
        try (InputStream in = getClass().getResourceAsStream("/e2e/sgd_momentum.json")) {
            ref = JSON.readTree(in);
        }
        JsonNode expected = ref.get("expected_step_losses");
        List<JsonNode> steps = lines(run.resolve("metrics.jsonl"), "step");
        assertEquals(expected.size(), steps.size(), "one step line per optimizer step");
        for (int i = 0; i < steps.size(); i++) {
            double want = expected.get(i).asDouble();
            assertEquals(i + 1, steps.get(i).get("step").asInt());
            assertEquals(want, steps.get(i).get("loss").asDouble(), 1e-4 * Math.abs(want), "loss of step " + (i + 1));
        }
        JsonNode test = lines(run.resolve("metrics.jsonl"), "test").get(0);
        // PyTorch stores float32(correct / 517); compare in float32
        assertEquals((float) ref.get("expected_test_accuracy").asDouble(), (float) test.get("accuracy").asDouble());
    }

    @Test
    void trainsTheContractConfigAsWrittenAndWritesTheRunDirectory() throws IOException {
        Cli.copyFixture(dir);
        Path config = Cli.write(dir, "contract.yaml", Cli.CONTRACT);
        Path run = dir.resolve("out");
        var r = Cli.run("train", config.toString(), "--out", run.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        JsonNode test = lines(run.resolve("metrics.jsonl"), "test").get(0);
        assertTrue(test.get("accuracy").asDouble() > 0.5, "test accuracy " + test.get("accuracy") + " should be far above chance (0.1)");
        assertTrue(r.out().contains("test  loss"), r.out());
        // which weights the test line measured, on the console, in metrics.jsonl and in the report
        assertTrue(r.out().contains("(final.safetensors: the weights training ended with)"), r.out());
        assertEquals("final.safetensors", test.get("checkpoint").asText());
        String report = Files.readString(run.resolve("report.html"));
        assertTrue(report.contains("Test metrics") && report.contains("with final.safetensors.")
                && report.contains(String.format(java.util.Locale.ROOT, "<td>accuracy</td><td>%.4f</td>", test.get("accuracy").asDouble())), report);
        List<JsonNode> steps = lines(run.resolve("metrics.jsonl"), "step");
        assertEquals(60, steps.size());
        // epochs count from 1 in metrics.jsonl, as on the console and in the report: 3 epochs of 20 steps
        assertEquals(1, steps.get(0).get("epoch").asInt());
        assertEquals(3, steps.get(59).get("epoch").asInt());
        assertEquals(List.of(1, 2, 3), lines(run.resolve("metrics.jsonl"), "epoch").stream().map(n -> n.get("epoch").asInt()).toList());
        // cosine over 60 steps: the first step uses lr 0.1, the last one almost 0
        assertEquals(0.1, steps.get(0).get("lr").asDouble(), 1e-12);
        assertTrue(steps.get(59).get("lr").asDouble() < 1e-3);
        // clip_grad_norm measures the norm, which the log records
        assertTrue(steps.get(0).get("grad_norm").asDouble() > 0);
        for (String f : new String[] {"config.yaml", "run.json", "last.safetensors", "final.safetensors", "confusion_matrix.json",
                "report.html"}) {
            assertTrue(Files.exists(run.resolve(f)), f + " missing");
        }
        JsonNode cm = JSON.readTree(run.resolve("confusion_matrix.json").toFile());
        assertEquals(10, cm.get("labels").size());
        assertEquals("test", cm.get("data").asText());
        long total = 0;
        for (JsonNode row : cm.get("counts")) for (JsonNode c : row) total += c.asLong();
        assertEquals(517, total);
        try (var charts = Files.list(run.resolve("charts"))) {
            assertTrue(charts.anyMatch(p -> p.toString().endsWith(".png")), "the report draws charts");
        }
        assertTrue(Files.readString(run.resolve("report.html")).contains("out"), "the report names the run");
        JsonNode info = JSON.readTree(run.resolve("run.json").toFile());
        assertEquals("divide", info.get("scaler").get("kind").asText());
        assertEquals(64, info.get("features").size());
    }

    @Test
    void overridesAreAppliedAndSavedInTheRunConfig() throws IOException {
        Cli.copyFixture(dir);
        Path config = Cli.write(dir, "contract.yaml", Cli.CONTRACT);
        Path run = dir.resolve("out");
        var r = Cli.run("train", config.toString(), "--out", run.toString(), "--quiet", "--set", "train.max_steps=5", "--set", "optimizer.lr=0.05");
        assertEquals(0, r.code(), r.err());
        assertEquals(5, lines(run.resolve("metrics.jsonl"), "step").size());
        String saved = Files.readString(run.resolve("config.yaml"));
        assertTrue(saved.contains("max_steps: 5") && saved.contains("lr: 0.05"), saved);
    }

    /** A step budget alone is spent in full, over as many epochs as it takes (it ran one epoch and stopped). */
    @Test
    void aStepBudgetAloneRunsUntilItIsSpent() throws IOException {
        Cli.copyFixture(dir);
        Path config = Cli.write(dir, "contract.yaml", Cli.CONTRACT.replace("epochs: 3, ", "max_steps: 100, "));
        Path run = dir.resolve("out");
        var r = Cli.run("train", config.toString(), "--out", run.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        List<JsonNode> steps = lines(run.resolve("metrics.jsonl"), "step");
        assertEquals(100, steps.size());
        assertEquals(100, steps.getLast().get("step").asInt());
        int perEpoch = (int) steps.stream().filter(n -> n.get("epoch").asInt() == 1).count();
        assertTrue(perEpoch < 100, "the budget spans several epochs: " + perEpoch + " steps an epoch");
        assertEquals((100 + perEpoch - 1) / perEpoch, steps.getLast().get("epoch").asInt());
    }

    @Test
    void resumeContinuesExactly() throws IOException {
        Cli.copyFixture(dir);
        String yaml = Cli.CONTRACT.replace("shuffle: false", "shuffle: true");
        Path config = Cli.write(dir, "contract.yaml", yaml);
        Path whole = dir.resolve("whole"), part = dir.resolve("part");
        assertEquals(0, Cli.run("train", config.toString(), "--out", whole.toString(), "--quiet").code());
        assertEquals(0, Cli.run("train", config.toString(), "--out", part.toString(), "--quiet", "--set", "train.epochs=1").code());
        var refused = Cli.run("train", config.toString(), "--quiet", "--resume", part.resolve("last.safetensors").toString());
        assertEquals(2, refused.code(), "epochs 3 is a change of the run's epochs 1: " + refused.out());
        assertTrue(refused.err().contains("train.epochs (1 in the run, 3 now)") && refused.err().contains("--allow-changes"), refused.err());
        var r = Cli.run("train", config.toString(), "--quiet", "--resume", part.resolve("last.safetensors").toString(), "--allow-changes");
        assertEquals(0, r.code(), r.err());
        List<JsonNode> resumes = lines(part.resolve("metrics.jsonl"), "resume");
        assertEquals(1, resumes.size(), "the allowed change is recorded");
        assertEquals("[\"train.epochs\"]", resumes.get(0).get("changed").toString());
        assertTrue(r.out().contains("run directory: " + part), "resume writes into the checkpoint's directory: " + r.out());
        assertArrayEquals(Files.readAllBytes(whole.resolve("final.safetensors")), Files.readAllBytes(part.resolve("final.safetensors")),
                "1 epoch + resumed 2 epochs must end with the same parameters as 3 epochs");
        // The first run stopped at epochs=1 of its config; the resumed one has epochs=3 from the file.
        List<JsonNode> a = lines(whole.resolve("metrics.jsonl"), "step"), b = lines(part.resolve("metrics.jsonl"), "step");
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) assertEquals(a.get(i).get("loss").asDouble(), b.get(i).get("loss").asDouble(), 0.0, "step " + (i + 1));
    }

    /** Sharded steps with dropout (keyed by seed, step and shard) resume with the same bits too. */
    @Test
    void shardedRunsResumeExactly() throws IOException {
        Cli.copyFixture(dir);
        String yaml = Cli.CONTRACT.replace("shuffle: false", "shuffle: true, shards: 4").replace("init_from: init.safetensors\n", "")
                .replace("[linear: 32, relu, linear: 10]", "[linear: 32, relu, dropout: 0.2, linear: 10]");
        Path config = Cli.write(dir, "sharded.yaml", yaml);
        Path whole = dir.resolve("whole"), part = dir.resolve("part");
        assertEquals(0, Cli.run("train", config.toString(), "--out", whole.toString(), "--quiet").code());
        assertEquals(0, Cli.run("train", config.toString(), "--out", part.toString(), "--quiet", "--set", "train.epochs=1").code());
        // epochs 3 where the run recorded 1: a change of the run's configuration, meant here.
        var r = Cli.run("train", config.toString(), "--quiet", "--resume", part.resolve("last.safetensors").toString(), "--allow-changes");
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(Files.readAllBytes(whole.resolve("final.safetensors")), Files.readAllBytes(part.resolve("final.safetensors")));
        String saved = Files.readString(whole.resolve("config.yaml"));
        assertTrue(saved.contains("shards: 4"), saved);
    }

    /** DESIGN.md's house configuration, as written there (YAML reads 3e-3 as text; it is still a number). */
    @Test
    void theDesignNotesHouseConfigurationTrains() throws IOException {
        Path config = Cli.write(dir, "run.yaml", """
                seed: 42
                data: {train: builtin:digits.csv, target: digit, validation_split: 0.2, scale: standard}
                model: [linear: 64, relu, dropout: 0.1, linear: 10]
                loss: cross_entropy
                optimizer: {name: adamw, lr: 3e-3, weight_decay: 0.01}
                schedule: {name: cosine, warmup_steps: 100}
                train: {epochs: 10, batch_size: 64, clip_grad_norm: 1.0}
                metrics: [accuracy, f1_macro]
                """);
        var r = Cli.run("train", config.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        Path run;
        try (var runs = Files.list(dir.resolve("runs"))) {
            run = runs.findFirst().orElseThrow();
        }
        assertTrue(run.getFileName().toString().matches("run-\\d{8}-\\d{6}"), "default run directory name: " + run);
        List<JsonNode> epochs = lines(run.resolve("metrics.jsonl"), "epoch");
        assertEquals(10, epochs.size());
        assertTrue(epochs.get(9).get("val_accuracy").asDouble() > 0.9, epochs.get(9).toString());
        List<JsonNode> steps = lines(run.resolve("metrics.jsonl"), "step");
        assertEquals(0.003 / 3, steps.get(0).get("lr").asDouble(), 1e-12, "warmup starts at a third of the rate");
        assertTrue(Files.exists(run.resolve("best.safetensors")));
    }
}
