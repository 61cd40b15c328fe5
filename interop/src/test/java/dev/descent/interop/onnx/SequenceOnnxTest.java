package dev.descent.interop.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.descent.nn.Embedding;
import dev.descent.nn.LastStep;
import dev.descent.nn.LayerNorm;
import dev.descent.nn.Linear;
import dev.descent.nn.MeanPool;
import dev.descent.nn.PositionalEmbedding;
import dev.descent.nn.Sequential;
import dev.descent.nn.TransformerEncoder;
import dev.descent.nn.TransformerEncoderLayer;
import dev.descent.tensor.Generator;
import dev.descent.tensor.GradMode;
import dev.descent.tensor.Tensor;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Sequence models exported to ONNX and run by ONNX Runtime give Descent's forward outputs within
 * 1e-5: a causal pre-norm GELU language model ([batch, T, vocabulary] logits and their softmax
 * over the vocabulary), and post-norm ReLU classifiers pooled by mean_pool and last_step. The file
 * takes int64 token ids with a symbolic batch and sequence length: the same file runs T = 7 and
 * T = 3. 1e-5 absolute on outputs of order 1: Descent sums attention in double and rounds once,
 * ONNX Runtime computes in float32 in its own order (MatMul, Softmax, LayerNormalization, Erf),
 * which moves the last few bits of each of the two layers' ~10 float32 steps. An embedding with
 * max_norm exports its table as its lookups read it.
 */
class SequenceOnnxTest {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    private static final double TOLERANCE = 1e-5;
    private static final int VOCAB = 11, DIM = 8, MAX_LEN = 8;

    /** Every parameter moved off its initial value (zero biases, unit norms) so each one matters. */
    private static void perturb(Sequential model, Generator gen) {
        for (Tensor p : model.parameters()) {
            float[] noise = Tensor.randn(gen, p.shape()).mul(0.3).toFloatArray();
            float[] d = p.data();
            for (int i = 0; i < d.length; i++) d[i] += noise[i];
        }
    }

    private static Sequential encoderModel(Generator gen, String activation, boolean normFirst, boolean causal, dev.descent.nn.Module... head) {
        List<TransformerEncoderLayer> layers = new ArrayList<>();
        for (int i = 0; i < 2; i++) layers.add(TransformerEncoderLayer.of(DIM, 2, 16, 0.1, activation, normFirst, gen));
        List<dev.descent.nn.Module> all = new ArrayList<>(List.of(Embedding.of(VOCAB, DIM, 0, Double.NaN, gen), PositionalEmbedding.of(MAX_LEN, DIM, gen),
                TransformerEncoder.of(layers, causal)));
        all.addAll(List.of(head));
        Sequential model = Sequential.of(all.toArray(dev.descent.nn.Module[]::new));
        perturb(model, gen);
        return model;
    }

    private static long[] tokens(Generator gen, int n) {
        long[] ids = new long[n];
        double[] u = Tensor.rand(gen, n).toDoubleArray();
        for (int i = 0; i < n; i++) ids[i] = (long) (u[i] * VOCAB);
        ids[0] = 0; // the padding id looks up its (perturbed) row like any other
        return ids;
    }

    @SuppressWarnings("try")
    private static float[] descent(Sequential model, long[] ids, int b, int t) {
        float[] x = new float[ids.length];
        for (int i = 0; i < x.length; i++) x[i] = ids[i];
        model.eval();
        try (var s = GradMode.noGrad()) {
            return model.forward(Tensor.of(x, b, t)).toFloatArray();
        }
    }

    /** Runs the model on int64 token ids [b, t] in ONNX Runtime; returns the named outputs. */
    static Map<String, float[]> run(byte[] onnx, long[] ids, int b, int t) throws OrtException {
        try (OrtSession session = ENV.createSession(onnx, new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(ENV, LongBuffer.wrap(ids), new long[] {b, t});
             OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, input))) {
            Map<String, float[]> out = new LinkedHashMap<>();
            for (var e : result) {
                FloatBuffer buf = ((OnnxTensor) e.getValue()).getFloatBuffer();
                float[] v = new float[buf.remaining()];
                buf.get(v);
                out.put(e.getKey(), v);
            }
            return out;
        }
    }

    private static byte[] export(Sequential model, OnnxExport.Probabilities p) {
        return OnnxExport.export(model, new OnnxExport.Options(new int[] {MAX_LEN - 1}, List.of(), p, Map.of(), "test"));
    }

    private static void assertClose(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what + " size");
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], TOLERANCE, what + " element " + i);
    }

    @Test
    void causalPreNormGeluLanguageModel() throws OrtException {
        Generator gen = Generator.seeded(3);
        Sequential model = encoderModel(gen, "gelu", true, true, LayerNorm.of(DIM), Linear.of(DIM, VOCAB, true, gen));
        byte[] onnx = export(model, OnnxExport.Probabilities.SOFTMAX);
        for (int[] bt : new int[][] {{3, 7}, {2, 3}}) {
            long[] ids = tokens(gen, bt[0] * bt[1]);
            float[] want = descent(model, ids, bt[0], bt[1]);
            Map<String, float[]> got = run(onnx, ids, bt[0], bt[1]);
            assertClose(want, got.get(OnnxExport.OUTPUT), "T = " + bt[1] + " logits");
            assertClose(Tensor.of(want, bt[0], bt[1], VOCAB).softmax(2).toFloatArray(), got.get(OnnxExport.PROBABILITIES), "T = " + bt[1] + " probabilities");
        }
        // The mask matters: without it position 0 would see the later tokens, and changing the last token would move it.
        long[] ids = tokens(gen, 5), changed = ids.clone();
        changed[4] = (ids[4] + 1) % VOCAB;
        float[] a = run(onnx, ids, 1, 5).get(OnnxExport.OUTPUT), b = run(onnx, changed, 1, 5).get(OnnxExport.OUTPUT);
        for (int i = 0; i < 4 * VOCAB; i++) assertEquals(a[i], b[i], 0.0, "position " + i / VOCAB + " must not see the last token");
        try (OrtSession s = ENV.createSession(onnx, new OrtSession.SessionOptions())) {
            TensorInfo in = (TensorInfo) s.getInputInfo().get(OnnxExport.INPUT).getInfo();
            assertEquals(ai.onnxruntime.OnnxJavaType.INT64, in.type);
            assertArrayEquals(new long[] {-1, -1}, in.getShape(), "batch and time are symbolic");
            TensorInfo out = (TensorInfo) s.getOutputInfo().get(OnnxExport.OUTPUT).getInfo();
            assertArrayEquals(new long[] {-1, -1, VOCAB}, out.getShape());
        }
    }

    @Test
    void postNormReluClassifiersPooledByMeanAndLastStep() throws OrtException {
        Generator gen = Generator.seeded(4);
        for (dev.descent.nn.Module pool : new dev.descent.nn.Module[] {new MeanPool(), new LastStep()}) {
            Sequential model = encoderModel(gen, "relu", false, pool instanceof LastStep, pool, Linear.of(DIM, 3, true, gen));
            byte[] onnx = export(model, OnnxExport.Probabilities.NONE);
            long[] ids = tokens(gen, 4 * 6);
            assertClose(descent(model, ids, 4, 6), run(onnx, ids, 4, 6).get(OnnxExport.OUTPUT), pool.getClass().getSimpleName());
        }
    }

    /** A Flatten over the positions ties the model to its T: the length is then fixed in the file. */
    @Test
    void aModelThatNeedsItsLengthKeepsItFixed() throws OrtException {
        Generator gen = Generator.seeded(5);
        Sequential model = Sequential.of(Embedding.of(VOCAB, 4, gen), dev.descent.nn.Flatten.of(), Linear.of(4 * 5, 2, true, gen));
        byte[] onnx = OnnxExport.export(model, new OnnxExport.Options(new int[] {5}, List.of(), OnnxExport.Probabilities.NONE, Map.of(), "test"));
        try (OrtSession s = ENV.createSession(onnx, new OrtSession.SessionOptions())) {
            assertArrayEquals(new long[] {-1, 5}, ((TensorInfo) s.getInputInfo().get(OnnxExport.INPUT).getInfo()).getShape());
        }
        long[] ids = tokens(gen, 2 * 5);
        assertClose(descent(model, ids, 2, 5), run(onnx, ids, 2, 5).get(OnnxExport.OUTPUT), "output");
    }

    /**
     * An embedding with max_norm renormalizes each row it looks up whose norm is above the bound;
     * the file looks up the table with those rows renormalized, so it gives Descent's outputs
     * (within 1e-5: both read the same float32 rows, the mean may sum them in another order), for
     * rows above the bound (N(0, 1) rows of 4 values have a norm of about 2) and below it.
     */
    @Test
    void anEmbeddingWithMaxNormLooksUpItsRenormalizedRows() throws OrtException {
        Embedding embedding = Embedding.of(VOCAB, 4, -1, 1.5, Generator.seeded(1));
        Sequential model = Sequential.of(embedding, new MeanPool());
        float[] w = embedding.weight().toFloatArray();
        int above = 0;
        for (int i = 0; i < VOCAB; i++) {
            double sq = 0;
            for (int c = 0; c < 4; c++) sq += w[4 * i + c] * w[4 * i + c];
            if (Math.sqrt(sq) > 1.5) above++;
        }
        assertTrue(above > 0 && above < VOCAB, above + " rows above max_norm: both kinds are looked up");
        byte[] onnx = export(model, OnnxExport.Probabilities.NONE);
        long[] ids = new long[3 * VOCAB];
        for (int i = 0; i < ids.length; i++) ids[i] = i % VOCAB;
        float[] got = run(onnx, ids, 3, VOCAB).get(OnnxExport.OUTPUT);
        assertClose(descent(model, ids, 3, VOCAB), got, "mean of looked-up rows");
    }
}
