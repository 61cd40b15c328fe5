package dev.descent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX data (MNIST's format) through a small convolutional network: train, eval, predict. */
class IdxRunTest {
    @TempDir Path dir;

    /**
     * Writes n 8x8 images of 3 classes that a conv net separates easily: class k has a bright
     * horizontal bar in rows 2k..2k+1, plus noise. Images gzipped when named .gz, labels not (both are read).
     * Returns the pixels, image by image.
     */
    static byte[] writeIdx(Path dir, String images, String labels, int n, long seed) throws IOException {
        return IdxFiles.write(dir.resolve(images), dir.resolve(labels), n, 8, 3, seed,
                (k, y, x, r) -> y / 2 == k + 1 ? 200 + r.nextInt(55) : r.nextInt(60));
    }

    @Test
    void trainsAConvNetOnIdxImagesAndEvaluatesAndPredicts() throws IOException {
        writeIdx(dir, "train-images.gz", "train-labels", 120, 1);
        writeIdx(dir, "test-images.gz", "test-labels", 30, 2);
        Path config = Cli.write(dir, "idx.yaml", """
                seed: 3
                data:
                  train: {images: train-images.gz, labels: train-labels}
                  test: {images: test-images.gz, labels: test-labels}
                  validation_split: 0.2
                model: [conv2d: {out: 4, kernel: 3, padding: 1}, relu, maxpool2d: 2, flatten, linear: 3]
                loss: cross_entropy
                optimizer: {name: adam, lr: 0.02}
                train: {epochs: 8, batch_size: 16}
                metrics: [accuracy]
                """);
        Path run = dir.resolve("run");
        var t = Cli.run("train", config.toString(), "--quiet", "--out", run.toString());
        assertEquals(0, t.code(), t.err());
        var test = TrainCommandTest.lines(run.resolve("metrics.jsonl"), "test").get(0);
        assertTrue(test.get("accuracy").asDouble() > 0.9, test.toString());

        var e = Cli.run("eval", run.toString(), "--data", dir.resolve("test-images.gz").toString(), "--labels", dir.resolve("test-labels").toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("30 examples"), e.out());

        Path preds = dir.resolve("p.csv");
        var p = Cli.run("predict", run.toString(), "--input", dir.resolve("test-images.gz").toString(), "--output", preds.toString());
        assertEquals(0, p.code(), p.err());
        List<String> rows = Files.readAllLines(preds);
        assertEquals("prediction,p_0,p_1,p_2", rows.get(0));
        assertEquals(31, rows.size());
        int right = 0;
        for (int i = 1; i < rows.size(); i++) if (rows.get(i).startsWith(((i - 1) % 3) + ",")) right++;
        assertTrue(right >= 27, right + " of 30 predictions right");
    }

    @Test
    void aLinearLayerOnImagesAsksForFlatten() throws IOException {
        writeIdx(dir, "train-images.gz", "train-labels", 12, 1);
        Path config = Cli.write(dir, "idx.yaml", """
                data: {train: {images: train-images.gz, labels: train-labels}}
                model: [linear: 3]
                loss: cross_entropy
                optimizer: sgd
                """);
        var r = Cli.run("train", config.toString(), "--quiet", "--out", dir.resolve("run").toString());
        assertEquals(2, r.code());
        assertTrue(r.errorLines().contains("model[0] (linear): receives examples of shape [1, 8, 8]") && r.errorLines().contains("flatten"),
                r.err());
    }
}
