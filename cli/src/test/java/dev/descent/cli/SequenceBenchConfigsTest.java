package dev.descent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sequence benchmark configurations (bench/userpath/char-transformer.yaml and char-lstm.yaml,
 * which scripts/bench-train.sh times) train through {@code descent train} as the script runs them:
 * with only {@code data.train.text} and {@code train.max_steps} set on the command line (here on
 * a small generated text, 2 steps; the batch cut to 2 windows to keep the test quick), each writes
 * its 2 step records with finite losses near ln(vocabulary) at the start, and a budget end line.
 * So a change that breaks a benchmark configuration fails the build, not the coordinator's timing run.
 */
class SequenceBenchConfigsTest {
    @TempDir Path dir;

    @Test
    void theSequenceBenchmarkConfigsTrainAsTheScriptRunsThem() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 3000; i++) text.append("And God said, Let there be light: and there was light ").append(i % 7).append(".\n");
        Path file = dir.resolve("text.txt");
        Files.writeString(file, text);
        long vocabulary = text.chars().distinct().count();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        for (String name : List.of("char-transformer.yaml", "char-lstm.yaml")) {
            ObjectNode c = (ObjectNode) yaml.readTree(Path.of("..", "bench", "userpath", name).toFile());
            ((ObjectNode) c.get("train")).put("batch_size", 2);
            Path config = dir.resolve(name);
            yaml.writeValue(config.toFile(), c);
            Path out = dir.resolve("run-" + name);
            var r = Cli.run("train", config.toString(), "--quiet", "--threads", "2", "--out", out.toString(),
                    "--set", "data.train.text=" + file, "--set", "train.max_steps=2");
            assertEquals(0, r.code(), name + ": " + r.err());
            List<JsonNode> steps = TrainCommandTest.lines(out.resolve("metrics.jsonl"), "step");
            assertEquals(2, steps.size(), name);
            for (JsonNode s : steps) {
                double loss = s.get("loss").asDouble();
                // an untrained model's cross-entropy is about ln(V) (29 characters here: 3.4); within a factor 2 either way
                assertTrue(loss > Math.log(vocabulary) / 2 && loss < Math.log(vocabulary) * 2, name + ": loss " + loss);
            }
            assertEquals(1, TrainCommandTest.lines(out.resolve("metrics.jsonl"), "end").size(), name);
        }
    }
}
