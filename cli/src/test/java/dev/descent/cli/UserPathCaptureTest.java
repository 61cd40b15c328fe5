package dev.descent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.descent.cli.build.ModelFactory;
import dev.descent.tensor.Generator;
import dev.descent.tensor.GlobalSettings;
import dev.descent.tensor.kernel.KernelMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user's-path benchmark models (bench/userpath/mlp.yaml: flatten first; cnn.yaml: two
 * convolution blocks), trained through {@code descent train} with their model, loss, optimizer and
 * metrics as written there, on small synthetic 28 x 28 IDX data (40 images, batches of 16: two
 * shapes an epoch), 2 epochs: the default run (steps captured and replayed) writes the same final
 * weights, byte for byte, and the same per-epoch losses as {@code capture_steps: false}: vector
 * kernels on 1 thread and scalar kernels on 2 ({@link GlobalSettings} restores both afterwards).
 */
@ExtendWith(GlobalSettings.class)
class UserPathCaptureTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    @TempDir Path dir;

    /** n random 28 x 28 images of 10 classes. */
    private static void writeIdx(Path images, Path labels, int n, long seed) throws IOException {
        IdxFiles.write(images, labels, n, 28, 10, seed, (label, y, x, r) -> r.nextInt(256));
    }

    /** The benchmark config with the synthetic data, 2 epochs of batches of 16, and capture on or off. */
    private Path config(String name, boolean capture) throws IOException {
        ObjectNode c = (ObjectNode) YAML.readTree(Path.of("..", "bench", "userpath", name).toFile());
        ObjectNode data = c.putObject("data");
        data.putObject("train").put("images", dir.resolve("train-images").toString()).put("labels", dir.resolve("train-labels").toString());
        data.putObject("test").put("images", dir.resolve("test-images").toString()).put("labels", dir.resolve("test-labels").toString());
        ObjectNode train = (ObjectNode) c.get("train");
        train.put("epochs", 2).put("batch_size", 16);
        if (!capture) train.put("capture_steps", false);
        Path p = dir.resolve((capture ? "captured-" : "eager-") + name);
        YAML.writeValue(p.toFile(), c);
        return p;
    }

    private Path train(Path config, String run, int threads) {
        Path out = dir.resolve(run);
        var r = Cli.run("train", config.toString(), "--quiet", "--threads", Integer.toString(threads), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        return out;
    }

    private static List<String> epochLosses(Path run) throws IOException {
        return TrainCommandTest.lines(run.resolve("metrics.jsonl"), "epoch").stream().map(n -> n.get("loss").asText()).toList();
    }

    /**
     * The models the configs build keep no activations, so the Trainer (whose default captures,
     * TrainerCapturedStepsTest) captures their steps: the benchmark takes the captured path.
     */
    @Test
    void theBenchmarkModelsQualifyForCapturedSteps() throws IOException {
        for (String name : List.of("mlp.yaml", "cnn.yaml")) {
            var model = ModelFactory.build(YAML.readTree(Path.of("..", "bench", "userpath", name).toFile()).get("model"), new int[] {1, 28, 28},
                    Generator.seeded(1));
            assertFalse(model.keepsActivations(), name);
        }
    }

    @Test
    void theBenchmarkModelsTrainToTheSameBitsCapturedAndEager() throws IOException {
        writeIdx(dir.resolve("train-images"), dir.resolve("train-labels"), 40, 1);
        writeIdx(dir.resolve("test-images"), dir.resolve("test-labels"), 10, 2);
        for (String name : List.of("mlp.yaml", "cnn.yaml")) {
            Path captured = config(name, true), eager = config(name, false);
            // vector kernels on 1 thread, scalar on 2 (the whole matrix runs in core's TrainerCapturedStepsTest)
            for (int threads : new int[] {1, 2}) {
                boolean vector = threads == 1 && KernelMode.vectorAvailable();
                KernelMode.setVectorized(vector);
                String tag = name + "-" + vector + "-" + threads;
                Path a = train(eager, "eager-" + tag, threads), b = train(captured, "captured-" + tag, threads);
                byte[] wa = Files.readAllBytes(a.resolve("final.safetensors")), wb = Files.readAllBytes(b.resolve("final.safetensors"));
                assertTrue(wa.length > 1000, tag);
                assertArrayEquals(wa, wb, tag + ": final weights");
                List<String> la = epochLosses(a);
                assertEquals(2, la.size(), tag);
                assertEquals(la, epochLosses(b), tag + ": epoch losses");
            }
        }
    }
}
