package dev.descent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code descent train --resume} as a user meets it (issue 17): finished runs, changed configs, the log, a run with no checkpoint yet. */
class ResumeCommandTest {
    @TempDir Path dir;

    private Path config(String yaml) throws IOException {
        Cli.copyFixture(dir);
        return Cli.write(dir, "run.yaml", yaml);
    }

    private static Cli.Result train(Path config, Path run, String... extra) {
        String[] args = new String[4 + extra.length];
        args[0] = "train";
        args[1] = config.toString();
        args[2] = "--quiet";
        args[3] = "--out";
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(new String[] {"train", config.toString(), "--quiet"}),
                java.util.Arrays.stream(extra)).toArray(String[]::new);
        return Cli.run(run == null ? all : java.util.stream.Stream.concat(java.util.Arrays.stream(all), java.util.stream.Stream.of("--out", run.toString()))
                .toArray(String[]::new));
    }

    @Test
    void resumingAFinishedRunSaysSoAndChangesNothing() throws IOException {
        Path config = config(Cli.CONTRACT.replace("epochs: 3", "epochs: 1")), run = dir.resolve("run");
        assertEquals(0, train(config, run).code());
        Map<String, String> before = ErrorsTest.contents(run);
        var r = train(config, null, "--resume", run.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("already finished"), r.out());
        assertEquals(before, ErrorsTest.contents(run), "nothing rewritten");
    }

    @Test
    void aChangedHyperparameterIsRefusedUnlessAllowedAndThenRecorded() throws IOException {
        Path config = config(Cli.CONTRACT.replace("epochs: 3", "epochs: 1")), run = dir.resolve("run");
        assertEquals(0, train(config, run).code());
        Map<String, String> before = ErrorsTest.contents(run);
        var refused = train(config, null, "--resume", run.toString(), "--set", "optimizer.lr=0.05");
        assertEquals(2, refused.code(), refused.out());
        assertEquals(1, refused.errorLines().lines().count(), refused.err());
        assertTrue(refused.err().contains("optimizer.lr (0.1 in the run, 0.05 now)"), refused.err());
        assertEquals(before, ErrorsTest.contents(run), "a refused resume writes nothing");

        var allowed = train(config, null, "--resume", run.toString(), "--set", "optimizer.lr=0.05", "--allow-changes");
        assertEquals(0, allowed.code(), allowed.err());
        List<JsonNode> resumes = TrainCommandTest.lines(run.resolve("metrics.jsonl"), "resume");
        assertEquals(1, resumes.size());
        assertEquals("[\"optimizer.lr\"]", resumes.get(0).get("changed").toString());
        assertTrue(Files.readString(run.resolve("config.yaml")).contains("0.05"), "config.yaml records the configuration now in force");
    }

    /** A run stopped after 2 of 3 epochs and continued: every step logged once, one end and one test line, the clock running on. */
    @Test
    void theLogOfAResumedRunHoldsEachStepOnceAndTheWholeTrainingTime() throws IOException {
        Path config = config(Cli.CONTRACT), run = dir.resolve("run");
        assertEquals(0, train(config, run, "--set", "train.epochs=2").code());
        double firstPart = TrainCommandTest.lines(run.resolve("metrics.jsonl"), "epoch").get(1).get("seconds").asDouble();
        assertEquals(0, train(config, null, "--resume", run.toString(), "--allow-changes").code());
        List<JsonNode> steps = TrainCommandTest.lines(run.resolve("metrics.jsonl"), "step");
        int perEpoch = steps.size() / 3;
        for (int i = 0; i < steps.size(); i++) assertEquals(i + 1, steps.get(i).get("step").asInt(), "step lines in order, each once");
        assertEquals(3, TrainCommandTest.lines(run.resolve("metrics.jsonl"), "epoch").size());
        assertEquals(1, TrainCommandTest.lines(run.resolve("metrics.jsonl"), "end").size());
        assertEquals(1, TrainCommandTest.lines(run.resolve("metrics.jsonl"), "test").size());
        double firstResumed = steps.get(2 * perEpoch).get("seconds").asDouble();
        assertTrue(firstResumed >= firstPart, "the resumed part's clock starts where the first part ended: " + firstResumed + " < " + firstPart);
        for (int i = 1; i < steps.size(); i++) {
            assertTrue(steps.get(i).get("seconds").asDouble() >= steps.get(i - 1).get("seconds").asDouble(), "time never runs back, step " + (i + 1));
        }
    }

    /** Killed in its first epoch: no last.safetensors yet; the same --resume command starts it again in place. */
    @Test
    void aRunKilledBeforeItsFirstCheckpointRestartsInPlace() throws IOException {
        Path config = config(Cli.CONTRACT), whole = dir.resolve("whole"), run = dir.resolve("run");
        assertEquals(0, train(config, whole).code());
        assertEquals(0, train(config, run).code());
        // What a kill in the first epoch leaves: config, run.json and the first steps' log lines.
        for (String f : List.of("last.safetensors", "final.safetensors", "report.html", "confusion_matrix.json")) Files.delete(run.resolve(f));
        List<String> log = Files.readAllLines(run.resolve("metrics.jsonl"));
        Files.write(run.resolve("metrics.jsonl"), log.subList(0, 5));
        var r = train(config, null, "--resume", run.resolve("last.safetensors").toString());
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(Files.readAllBytes(whole.resolve("final.safetensors")), Files.readAllBytes(run.resolve("final.safetensors")));
        assertArrayEquals(Files.readAllBytes(whole.resolve("last.safetensors")), Files.readAllBytes(run.resolve("last.safetensors")));
        assertEquals(TrainCommandTest.lines(whole.resolve("metrics.jsonl"), "step").size(), TrainCommandTest.lines(run.resolve("metrics.jsonl"), "step").size());
    }

    @Test
    void aPlateauRuleBehindAWarmupIsFed() throws IOException {
        Path config = config(Cli.CONTRACT.replace("schedule: {name: cosine, T_max: 60, eta_min: 0.0}",
                "schedule: {name: plateau, patience: 0, factor: 0.5, warmup_steps: 5}").replace("data: {", "data: {validation_split: 0.5, ")
                .replace("lr: 0.1", "lr: 2.0"));
        var r = train(config, dir.resolve("run"));
        assertEquals(0, r.code(), r.err());
        List<JsonNode> steps = TrainCommandTest.lines(dir.resolve("run/metrics.jsonl"), "step");
        assertEquals(2.0 / 3, steps.get(0).get("lr").asDouble(), 1e-12, "the warmup starts at a third");
        assertEquals(2.0, steps.get(5).get("lr").asDouble(), 0.0, "then the plateau's rate");
        assertTrue(steps.stream().anyMatch(s -> s.get("lr").asDouble() == 1.0), "a validation without improvement halved the rate behind the warmup");
    }
}
