package dev.descent.interop.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.descent.nn.Embedding;
import dev.descent.nn.GRU;
import dev.descent.nn.LSTM;
import dev.descent.nn.LastStep;
import dev.descent.nn.Linear;
import dev.descent.nn.MeanPool;
import dev.descent.nn.Module;
import dev.descent.nn.RNN;
import dev.descent.nn.Recurrent;
import dev.descent.nn.Sequential;
import dev.descent.tensor.Generator;
import dev.descent.tensor.GradMode;
import dev.descent.tensor.Tensor;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The recurrent layers exported as ONNX's RNN, LSTM and GRU operators and run by ONNX Runtime give
 * Descent's forward outputs within 1e-5, for every option the layers have: one and two layers,
 * one direction and two, with and without biases, inter-layer dropout (the identity in
 * evaluation), RNN with tanh and relu; as sequence classifiers (last_step, mean_pool), as
 * language models ([batch, T, vocabulary] and the softmax over it), and on float features. The
 * token-id files take any T: each runs T = 7 and T = 3. Every parameter is perturbed so that each
 * gate block matters: a block in the wrong place (PyTorch's i, f, g, o against ONNX's i, o, f, c;
 * r, z, n against z, r, h) or the GRU's reset applied before the hidden product moves the outputs
 * by far more than the tolerance. 1e-5 absolute on outputs of order 1: ONNX Runtime's float32
 * gate products and activations round in their own order, over at most 2 layers of 7 steps.
 */
class RecurrentOnnxTest {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    private static final double TOLERANCE = 1e-5;
    private static final int VOCAB = 9, DIM = 6, H = 5;

    /** A recurrent layer over embedded tokens, then a head. */
    private record Case(String name, Recurrent layer, Module... head) {}

    private static void perturb(Sequential model, Generator gen) {
        for (Tensor p : model.parameters()) {
            float[] noise = Tensor.randn(gen, p.shape()).mul(0.3).toFloatArray();
            float[] d = p.data();
            for (int i = 0; i < d.length; i++) d[i] += noise[i];
        }
    }

    @SuppressWarnings("try")
    private static float[] descent(Sequential model, float[] x, int... shape) {
        model.eval();
        try (var s = GradMode.noGrad()) {
            return model.forward(Tensor.of(x, shape)).toFloatArray();
        }
    }

    private static void assertClose(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what + " size");
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], TOLERANCE, what + " element " + i);
    }

    @Test
    void everyRecurrentLayerAndOptionMatchesDescent() throws OrtException {
        Generator gen = Generator.seeded(7);
        List<Case> cases = List.of(
                new Case("bidirectional 2-layer LSTM classifier, dropout between layers", LSTM.of(DIM, H, 2, true, true, 0.3, gen),
                        new LastStep(), Linear.of(2 * H, 3, true, gen)),
                new Case("LSTM language model without biases", LSTM.of(DIM, H, 1, false, false, 0, gen), Linear.of(H, VOCAB, true, gen)),
                new Case("bidirectional 2-layer GRU without biases, mean_pool", GRU.of(DIM, H, 2, false, true, 0, gen),
                        new MeanPool(), Linear.of(2 * H, 3, true, gen)),
                new Case("2-layer GRU language model", GRU.of(DIM, H, 2, true, false, 0.1, gen), Linear.of(H, VOCAB, true, gen)),
                new Case("bidirectional 2-layer tanh RNN", RNN.of(DIM, H, 2, "tanh", true, true, 0, gen), new LastStep(), Linear.of(2 * H, 3, true, gen)),
                new Case("bidirectional relu RNN language model", RNN.of(DIM, H, 1, "relu", true, true, 0, gen), Linear.of(2 * H, VOCAB, true, gen)),
                new Case("relu RNN without biases", RNN.of(DIM, H, 1, "relu", false, false, 0, gen), new LastStep(), Linear.of(H, 3, true, gen)));
        for (Case c : cases) {
            Module[] layers = new Module[c.head().length + 2];
            layers[0] = Embedding.of(VOCAB, DIM, gen);
            layers[1] = c.layer();
            System.arraycopy(c.head(), 0, layers, 2, c.head().length);
            Sequential model = Sequential.of(layers);
            perturb(model, gen);
            boolean lm = c.head().length == 1;
            byte[] onnx = OnnxExport.export(model, new OnnxExport.Options(new int[] {7}, List.of(),
                    lm ? OnnxExport.Probabilities.SOFTMAX : OnnxExport.Probabilities.NONE, Map.of(), "test"));
            for (int[] bt : new int[][] {{4, 7}, {2, 3}}) {
                long[] ids = new long[bt[0] * bt[1]];
                float[] x = new float[ids.length];
                double[] u = Tensor.rand(gen, ids.length).toDoubleArray();
                for (int i = 0; i < ids.length; i++) x[i] = ids[i] = (long) (u[i] * VOCAB);
                float[] want = descent(model, x, bt);
                Map<String, float[]> got = SequenceOnnxTest.run(onnx, ids, bt[0], bt[1]);
                String what = c.name() + ", T = " + bt[1];
                assertClose(want, got.get(OnnxExport.OUTPUT), what);
                if (lm) assertClose(Tensor.of(want, bt[0], bt[1], VOCAB).softmax(2).toFloatArray(), got.get(OnnxExport.PROBABILITIES), what + " probabilities");
            }
        }
    }

    /** A recurrent layer reading float features [T, F] directly: the input is float32 [batch, T, F]. */
    @Test
    void anLstmOnFloatFeatures() throws OrtException {
        Generator gen = Generator.seeded(8);
        Sequential model = Sequential.of(LSTM.of(3, H, 2, true, true, 0, gen), new LastStep(), Linear.of(2 * H, 2, true, gen));
        perturb(model, gen);
        byte[] onnx = OnnxExport.export(model, new OnnxExport.Options(new int[] {5, 3}, List.of(), OnnxExport.Probabilities.NONE, Map.of(), "test"));
        float[] x = Tensor.randn(gen, 6, 5, 3).toFloatArray();
        try (OrtSession s = ENV.createSession(onnx, new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(x), new long[] {6, 5, 3});
             OrtSession.Result result = s.run(Map.of(OnnxExport.INPUT, input))) {
            assertArrayEquals(new long[] {-1, 5, 3}, ((TensorInfo) s.getInputInfo().get(OnnxExport.INPUT).getInfo()).getShape());
            FloatBuffer b = ((OnnxTensor) result.get(OnnxExport.OUTPUT).orElseThrow()).getFloatBuffer();
            float[] got = new float[b.remaining()];
            b.get(got);
            assertClose(descent(model, x, 6, 5, 3), got, "LSTM on features");
        }
    }
}
