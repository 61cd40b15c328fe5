package dev.descent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code descent export --format onnx} checked by ONNX Runtime: the exported file, given the test
 * rows' raw features, gives the probabilities {@code descent predict} writes for the same rows,
 * within 1e-5 (ONNX Runtime's float32 kernels sum in their own order; the run's scaling is folded
 * into the file), for an MLP on CSV rows, a CNN with batch norm on IDX images and a bidirectional
 * two-layer LSTM classifying token-id columns; and ONNX Runtime's logits equal the loaded run's
 * forward for character language models (a transformer, a two-layer GRU). And its bad input: an
 * unknown format, a run without a checkpoint. (A layer ONNX cannot express, refused in one line
 * with exit 2 by the same mapping of the exporter's error, is no longer reachable from a
 * configuration: every layer of the model list exports; OnnxRuntimeParityTest checks the refusal.)
 */
class ExportCommandTest {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    private static final double TOLERANCE = 1e-5;

    @TempDir Path dir;

    /** ONNX Runtime's probabilities for the rows, [n * classes]. */
    private static float[] onnxProbabilities(Path model, float[] x, long... shape) throws OrtException {
        try (OrtSession session = ENV.createSession(model.toString(), new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(x), shape);
             OrtSession.Result result = session.run(Map.of("input", input))) {
            FloatBuffer b = ((OnnxTensor) result.get("probabilities").orElseThrow()).getFloatBuffer();
            float[] v = new float[b.remaining()];
            b.get(v);
            return v;
        }
    }

    /** The p_<class> columns of descent predict's CSV, row by row. */
    private static float[] predicted(Path csv, int classes) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        float[] p = new float[(lines.size() - 1) * classes];
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",");
            for (int j = 0; j < classes; j++) p[(i - 1) * classes + j] = Float.parseFloat(cells[1 + j]);
        }
        return p;
    }

    private void assertAgree(float[] predict, float[] onnx) {
        assertEquals(predict.length, onnx.length);
        for (int i = 0; i < predict.length; i++) assertEquals(predict[i], onnx[i], TOLERANCE, "probability " + i);
    }

    private void exportAndCompare(Path run, Path input, float[] rawRows, long[] shape, int classes) throws IOException, OrtException {
        var r = Cli.run("export", run.toString(), "--format", "onnx", "--output", dir.resolve("model.onnx").toString());
        assertEquals(0, r.code(), r.err());
        r = Cli.run("predict", run.toString(), "--input", input.toString(), "--output", dir.resolve("preds.csv").toString());
        assertEquals(0, r.code(), r.err());
        float[] want = predicted(dir.resolve("preds.csv"), classes);
        assertEquals(shape[0] * classes, want.length);
        assertAgree(want, onnxProbabilities(dir.resolve("model.onnx"), rawRows, shape));
    }

    @Test
    void mlpOnCsvRowsWithStandardScaling() throws IOException, OrtException {
        Cli.copyFixture(dir);
        Path config = Cli.write(dir, "mlp.yaml", """
                seed: 1
                data: {train: train.csv, test: test.csv, target: digit, scale: standard}
                model: [linear: 32, relu, dropout: 0.2, linear: 16, gelu, linear: 10]
                loss: cross_entropy
                optimizer: {name: adam, lr: 0.01}
                train: {epochs: 2, batch_size: 64}
                """);
        Path run = dir.resolve("run");
        assertEquals(0, Cli.run("train", config.toString(), "--quiet", "--out", run.toString()).code());
        List<String> test = Files.readAllLines(dir.resolve("test.csv"));
        List<String> header = Arrays.asList(test.getFirst().split(","));
        int target = header.indexOf("digit");
        int features = header.size() - 1, n = test.size() - 1;
        float[] x = new float[n * features];
        for (int i = 0; i < n; i++) {
            String[] cells = test.get(i + 1).split(",");
            for (int j = 0, k = 0; j < cells.length; j++) if (j != target) x[i * features + k++] = Float.parseFloat(cells[j]);
        }
        exportAndCompare(run, dir.resolve("test.csv"), x, new long[] {n, features}, 10);
    }

    @Test
    void cnnWithBatchNormOnIdxImages() throws IOException, OrtException {
        IdxRunTest.writeIdx(dir, "train-images.gz", "train-labels", 120, 1);
        byte[] pixels = IdxRunTest.writeIdx(dir, "test-images.gz", "test-labels", 30, 2);
        Path config = Cli.write(dir, "cnn.yaml", """
                seed: 3
                data:
                  train: {images: train-images.gz, labels: train-labels}
                  test: {images: test-images.gz, labels: test-labels}
                model: [conv2d: {out: 4, kernel: 3, padding: 1}, batchnorm2d, relu, maxpool2d: 2, flatten, linear: 3]
                loss: cross_entropy
                optimizer: {name: adam, lr: 0.01}
                train: {epochs: 3, batch_size: 16}
                """);
        Path run = dir.resolve("run");
        assertEquals(0, Cli.run("train", config.toString(), "--quiet", "--out", run.toString()).code());
        float[] x = new float[pixels.length];
        for (int i = 0; i < x.length; i++) x[i] = pixels[i] & 0xFF;
        exportAndCompare(run, dir.resolve("test-images.gz"), x, new long[] {30, 1, 8, 8}, 3);
    }

    /**
     * A character-level transformer language model trained a few steps through the CLI: ONNX
     * Runtime's logits for token-id windows equal those of the run's model as Descent loads it,
     * within 1e-5 (float32 kernels in another order), for the full block and a shorter window; the
     * file carries the tokenizer's vocabulary.
     */
    @Test
    void characterLanguageModel() throws IOException, OrtException {
        languageModelMatchesDescent("""
                [embedding: 16, positional_embedding: {max_len: 8},
                        transformer_encoder: {layers: 1, heads: 2, ff: 32, activation: gelu, norm_first: true, causal: true},
                        layernorm, linear: vocab]""");
    }

    /** The same for a two-layer GRU language model (ONNX's GRU operator, one node per layer). */
    @Test
    void gruCharacterLanguageModel() throws IOException, OrtException {
        languageModelMatchesDescent("[embedding: 16, gru: {hidden: 16, layers: 2}, linear: vocab]");
    }

    private void languageModelMatchesDescent(String model) throws IOException, OrtException {
        String text = "the quick brown fox jumps over the lazy dog. ".repeat(8);
        Files.writeString(dir.resolve("train.txt"), text);
        Path config = Cli.write(dir, "lm.yaml", """
                seed: 2
                data: {train: {text: train.txt}, tokenizer: char, block_size: 8}
                model: %s
                loss: cross_entropy
                optimizer: {name: adamw, lr: 0.01}
                train: {epochs: 1, batch_size: 16}
                """.formatted(model));
        Path run = dir.resolve("run");
        var r = Cli.run("train", config.toString(), "--quiet", "--out", run.toString());
        assertEquals(0, r.code(), r.err());
        Path onnx = dir.resolve("lm.onnx");
        r = Cli.run("export", run.toString(), "--format", "onnx", "--output", onnx.toString());
        assertEquals(0, r.code(), r.err());
        var trained = dev.descent.cli.run.TrainedModel.load(run, null);
        var tokenizer = trained.info().text().toTokenizer();
        int v = tokenizer.vocabularySize();
        try (OrtSession session = ENV.createSession(onnx.toString(), new OrtSession.SessionOptions())) {
            assertEquals(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(trained.info().text().vocabulary()),
                    session.getMetadata().getCustomMetadata().get("descent.vocabulary"));
            for (String window : new String[] {"quick br", "lazy"}) {
                int[] ids = tokenizer.encode(window, "test window");
                long[] longs = Arrays.stream(ids).asLongStream().toArray();
                float[] floats = new float[ids.length];
                for (int i = 0; i < ids.length; i++) floats[i] = ids[i];
                float[] want;
                try (var s = dev.descent.tensor.GradMode.noGrad()) {
                    want = trained.model().forward(dev.descent.tensor.Tensor.of(floats, 1, ids.length)).toFloatArray();
                }
                try (OnnxTensor input = OnnxTensor.createTensor(ENV, java.nio.LongBuffer.wrap(longs), new long[] {1, ids.length});
                     OrtSession.Result result = session.run(Map.of("input", input))) {
                    FloatBuffer b = ((OnnxTensor) result.get("output").orElseThrow()).getFloatBuffer();
                    float[] got = new float[b.remaining()];
                    b.get(got);
                    assertEquals(ids.length * v, want.length);
                    assertAgree(want, got);
                }
            }
        }
    }

    /** Rows of 8 digit columns t0..t7 and whether a 1 directly precedes a 2 (the example's pattern task, smaller). */
    private Path tokenRows(String name, int n, long seed) throws IOException {
        java.util.Random random = new java.util.Random(seed);
        StringBuilder csv = new StringBuilder("t0,t1,t2,t3,t4,t5,t6,t7,pattern\n");
        for (int i = 0; i < n; i++) {
            int[] d = random.ints(8, 0, 10).toArray();
            String row = Arrays.stream(d).mapToObj(Integer::toString).reduce((a, b) -> a + "," + b).orElseThrow();
            csv.append(row).append(',').append(("," + row + ",").contains(",1,2,") ? "yes" : "no").append('\n');
        }
        return Cli.write(dir, name, csv.toString());
    }

    /**
     * A bidirectional two-layer LSTM (dropout between its layers) over embedded token-id columns,
     * pooled by last_step: ONNX Runtime, given the test rows' ids as int64, gives the
     * probabilities descent predict writes, within 1e-5.
     */
    @Test
    void bidirectionalLstmClassifierOnTokenColumns() throws IOException, OrtException {
        tokenClassifierAgreesWithPredict("[embedding: {dim: 8, vocab: 10}, lstm: {hidden: 8, layers: 2, bidirectional: true, dropout: 0.2}, last_step, linear: 2]");
    }

    /**
     * The same for an embedding with max_norm (its rows renormalized as they are looked up; the
     * file holds the table as the lookups read it) before a GRU.
     */
    @Test
    void embeddingWithMaxNormBeforeAGru() throws IOException, OrtException {
        tokenClassifierAgreesWithPredict("[embedding: {dim: 4, vocab: 10, max_norm: 0.5}, gru: 4, last_step, linear: 2]");
    }

    private void tokenClassifierAgreesWithPredict(String model) throws IOException, OrtException {
        tokenRows("train.csv", 160, 1);
        Path test = tokenRows("test.csv", 24, 2);
        Path config = Cli.write(dir, "seq.yaml", """
                seed: 5
                data: {train: train.csv, test: test.csv, target: pattern}
                model: %s
                loss: cross_entropy
                optimizer: {name: adam, lr: 0.01}
                train: {epochs: 1, batch_size: 32}
                """.formatted(model));
        Path run = dir.resolve("run");
        var r = Cli.run("train", config.toString(), "--quiet", "--out", run.toString());
        assertEquals(0, r.code(), r.err());
        Path onnx = dir.resolve("seq.onnx");
        r = Cli.run("export", run.toString(), "--format", "onnx", "--output", onnx.toString());
        assertEquals(0, r.code(), r.err());
        r = Cli.run("predict", run.toString(), "--input", test.toString(), "--output", dir.resolve("preds.csv").toString());
        assertEquals(0, r.code(), r.err());
        float[] want = predicted(dir.resolve("preds.csv"), 2);
        List<String> rows = Files.readAllLines(test);
        long[] ids = rows.stream().skip(1).flatMap(l -> Arrays.stream(l.split(",")).limit(8)).mapToLong(Long::parseLong).toArray();
        assertEquals(24 * 2, want.length);
        try (OrtSession session = ENV.createSession(onnx.toString(), new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(ENV, java.nio.LongBuffer.wrap(ids), new long[] {24, 8});
             OrtSession.Result result = session.run(Map.of("input", input))) {
            FloatBuffer b = ((OnnxTensor) result.get("probabilities").orElseThrow()).getFloatBuffer();
            float[] got = new float[b.remaining()];
            b.get(got);
            assertAgree(want, got);
        }
    }

    @Test
    void badInputIsOneLineExit2AndWritesNothing() throws IOException {
        Cli.copyFixture(dir);
        Path config = Cli.write(dir, "mlp.yaml", """
                seed: 1
                data: {train: train.csv, target: digit}
                model: [linear: 10]
                loss: cross_entropy
                optimizer: {name: sgd, lr: 0.1}
                train: {epochs: 1}
                """);
        Path run = dir.resolve("run");
        assertEquals(0, Cli.run("train", config.toString(), "--quiet", "--out", run.toString()).code());
        Path out = dir.resolve("out.onnx");
        String[][] cases = {
            {"--format", "onx", "--format", "unknown format 'onx'", "did you mean 'onnx'"},
            {"--checkpoint", "best", "best.safetensors", "no such checkpoint"},
        };
        for (String[] c : cases) {
            var r = Cli.run("export", run.toString(), c[0], c[1], "--output", out.toString());
            assertEquals(2, r.code(), r.err());
            String err = r.errorLines();
            assertEquals(1, err.lines().count(), err);
            for (int i = 2; i < c.length; i++) assertTrue(err.contains(c[i]), "'" + c[i] + "' expected in: " + err);
            assertFalse(Files.exists(out));
        }
        var r = Cli.run("export", dir.resolve("nothing").toString());
        assertEquals(2, r.code());
        assertEquals(1, r.errorLines().lines().count(), r.err());
    }
}
