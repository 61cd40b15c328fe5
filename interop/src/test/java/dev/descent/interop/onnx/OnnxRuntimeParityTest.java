package dev.descent.interop.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.descent.data.Scaler;
import dev.descent.nn.Activations;
import dev.descent.nn.AvgPool2d;
import dev.descent.nn.BatchNorm1d;
import dev.descent.nn.BatchNorm2d;
import dev.descent.nn.Conv2d;
import dev.descent.nn.Dropout;
import dev.descent.nn.Embedding;
import dev.descent.nn.Flatten;
import dev.descent.nn.LayerNorm;
import dev.descent.nn.Linear;
import dev.descent.nn.MaxPool2d;
import dev.descent.nn.Module;
import dev.descent.nn.Sequential;
import dev.descent.tensor.Generator;
import dev.descent.tensor.GradMode;
import dev.descent.tensor.Tensor;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Exported models run by ONNX Runtime (its Java API) give the outputs Descent gives, within 1e-5:
 * every layer kind and every activation, input scaling folded in, a dynamic batch (the same file
 * runs batches of 1 and of 7), and probabilities. 1e-5 absolute on outputs of order 1: ONNX Runtime
 * sums and orders its float32 kernels (Gemm, Conv, Erf) its own way, which moves the last bits.
 */
class OnnxRuntimeParityTest {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    private static final double TOLERANCE = 1e-5;

    /** Runs the model on {@code x} ([n, example...]) in ONNX Runtime; returns the named outputs. */
    static Map<String, float[]> run(byte[] model, float[] x, int[] shape) throws OrtException {
        long[] dims = Arrays.stream(shape).asLongStream().toArray();
        try (OrtSession session = ENV.createSession(model, new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(x), dims);
             OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, input))) {
            var out = new java.util.LinkedHashMap<String, float[]>();
            for (var e : result) {
                FloatBuffer b = ((OnnxTensor) e.getValue()).getFloatBuffer();
                float[] v = new float[b.remaining()];
                b.get(v);
                out.put(e.getKey(), v);
            }
            return out;
        }
    }

    @SuppressWarnings("try")
    private static float[] descent(Module model, Scaler scaler, Tensor x) {
        model.eval();
        try (var s = GradMode.noGrad()) {
            return model.forward(scaler.apply(x)).toFloatArray();
        }
    }

    private static void assertClose(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what + " size");
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], TOLERANCE, what + " element " + i);
    }

    /** A few training-mode passes so batch norm's running statistics are not the initial 0 and 1. */
    @SuppressWarnings("try")
    private static void warm(Module model, int[] example, Generator gen) {
        model.train();
        model.setGenerator(gen);
        int[] batch = new int[example.length + 1];
        batch[0] = 16;
        System.arraycopy(example, 0, batch, 1, example.length);
        try (var s = GradMode.noGrad()) {
            for (int i = 0; i < 3; i++) model.forward(Tensor.randn(gen, batch).mul(2).add(0.5));
        }
    }

    @Test
    void everyActivationAndNormOnTabularInputWithStandardScaling() throws OrtException {
        Generator gen = Generator.seeded(11);
        Sequential model = Sequential.of(Linear.of(6, 8, true, gen), LayerNorm.of(8), Activations.gelu(), Linear.of(8, 8, true, gen),
                Activations.geluTanh(), Dropout.of(0.3), Activations.silu(), Linear.of(8, 8, false, gen), Activations.softplus(2, 1),
                Linear.of(8, 8, true, gen), Activations.elu(0.5), Activations.leakyRelu(0.1), Activations.tanh(), Linear.of(8, 8, true, gen),
                Activations.sigmoid(), BatchNorm1d.of(8), Activations.relu(), Linear.of(8, 8, true, gen), Activations.softmax(1),
                Linear.of(8, 4, true, gen), Activations.logSoftmax(1));
        warm(model, new int[] {6}, gen);
        float[] mean = {1, -2, 0.5f, 0, 3, -1}, std = {2, 0.5f, 1, 4, 1.5f, 1};
        Scaler scaler = new Scaler.Standard(mean, std);
        byte[] onnx = OnnxExport.export(model, new OnnxExport.Options(new int[] {6}, List.of(scaler), OnnxExport.Probabilities.EXP, Map.of("k", "v"), "test"));
        for (int n : new int[] {7, 1}) {
            Tensor x = Tensor.randn(gen, n, 6).mul(3);
            float[] want = descent(model, scaler, x);
            Map<String, float[]> got = run(onnx, x.toFloatArray(), new int[] {n, 6});
            assertClose(want, got.get(OnnxExport.OUTPUT), "batch " + n + " output");
            float[] p = new float[want.length];
            for (int i = 0; i < p.length; i++) p[i] = (float) Math.exp(want[i]);
            assertClose(p, got.get(OnnxExport.PROBABILITIES), "batch " + n + " probabilities");
        }
    }

    @Test
    void cnnWithBatchNormPoolingAndFlatten() throws OrtException {
        Generator gen = Generator.seeded(5);
        Sequential model = Sequential.of(Conv2d.of(1, 4, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1, true, gen),
                BatchNorm2d.of(4), Activations.relu(), MaxPool2d.of(2),
                Conv2d.of(4, 6, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, 2, false, gen),
                AvgPool2d.of(2, 1, 1), Flatten.of(), Linear.of(6 * 3 * 3, 5, true, gen));
        warm(model, new int[] {1, 8, 8}, gen);
        Scaler scaler = new Scaler.Divide(16);
        byte[] onnx = OnnxExport.export(model, new OnnxExport.Options(new int[] {1, 8, 8}, List.of(scaler), OnnxExport.Probabilities.SOFTMAX, Map.of(), "test"));
        Tensor x = Tensor.randn(gen, 3, 1, 8, 8).mul(8).add(8);
        float[] want = descent(model, scaler, x);
        Map<String, float[]> got = run(onnx, x.toFloatArray(), new int[] {3, 1, 8, 8});
        assertClose(want, got.get(OnnxExport.OUTPUT), "output");
        float[] p = Tensor.of(want, 3, 5).softmax(1).toFloatArray();
        assertClose(p, got.get(OnnxExport.PROBABILITIES), "probabilities");
    }

    /** Embedding takes int64 ids; a Linear over [batch, 3, 4] takes the MatMul path; Flatten from dim 2 a Reshape. */
    @Test
    void embeddingAndLinearOverASequence() throws OrtException {
        Generator gen = Generator.seeded(8);
        Sequential model = Sequential.of(Embedding.of(10, 4, gen), Linear.of(4, 5, true, gen), Activations.relu(), Flatten.of(2),
                Flatten.of(1), Linear.of(15, 2, true, gen));
        float[] idx = {0, 9, 3, 4, 4, 1};
        byte[] onnx = OnnxExport.export(model, new OnnxExport.Options(new int[] {3}, List.of(), OnnxExport.Probabilities.NONE, Map.of(), "test"));
        float[] want = descent(model, new Scaler.None(), Tensor.of(idx, 2, 3));
        Map<String, float[]> got = SequenceOnnxTest.run(onnx, new long[] {0, 9, 3, 4, 4, 1}, 2, 3);
        assertEquals(List.of(OnnxExport.OUTPUT), List.copyOf(got.keySet()));
        assertClose(want, got.get(OnnxExport.OUTPUT), "output");
    }

    /** With an input scaling the ids arrive as float32 and are cast to int64 for Gather. */
    @Test
    void embeddingAfterScalingCastsItsFloatIndices() throws OrtException {
        Generator gen = Generator.seeded(9);
        Sequential model = Sequential.of(Embedding.of(10, 4, gen), Flatten.of(), Linear.of(12, 2, true, gen));
        Scaler scaler = new Scaler.Divide(2);
        float[] raw = {0, 18, 6, 8, 8, 2};
        byte[] onnx = OnnxExport.export(model, new OnnxExport.Options(new int[] {3}, List.of(scaler), OnnxExport.Probabilities.NONE, Map.of(), "test"));
        assertClose(descent(model, scaler, Tensor.of(raw, 2, 3)), run(onnx, raw, new int[] {2, 3}).get(OnnxExport.OUTPUT), "output");
    }

    /** A user's own module has no ONNX form: the export names it and its position. */
    @Test
    void refusesALayerItCannotExpress() {
        Module custom = new Module() {
            @Override
            public Tensor forward(Tensor input) {
                return input.mul(input);
            }
        };
        Sequential model = Sequential.of(Linear.of(2, 2, true, Generator.seeded(1)), custom);
        var e = assertThrows(IllegalArgumentException.class, () -> OnnxExport.export(model,
                new OnnxExport.Options(new int[] {2}, List.of(), OnnxExport.Probabilities.NONE, Map.of(), "test")));
        assertTrue(e.getMessage().startsWith("model[1] ("), e.getMessage());
        assertTrue(e.getMessage().contains("has no form"), e.getMessage());
    }

    @Test
    void metadataAndDynamicBatchAreInTheModel() throws OrtException {
        Sequential model = Sequential.of(Linear.of(3, 2, true, Generator.seeded(2)));
        byte[] onnx = OnnxExport.export(model, new OnnxExport.Options(new int[] {3}, List.of(), OnnxExport.Probabilities.NONE,
                Map.of("descent.classes", "[\"a\",\"b\"]"), "9.9"));
        try (OrtSession s = ENV.createSession(onnx, new OrtSession.SessionOptions())) {
            assertEquals("[\"a\",\"b\"]", s.getMetadata().getCustomMetadata().get("descent.classes"));
            assertEquals("descent", s.getMetadata().getProducerName());
            var info = (ai.onnxruntime.TensorInfo) s.getInputInfo().get(OnnxExport.INPUT).getInfo();
            assertArrayEquals(new long[] {-1, 3}, info.getShape(), "the batch dimension is symbolic");
        }
    }
}
