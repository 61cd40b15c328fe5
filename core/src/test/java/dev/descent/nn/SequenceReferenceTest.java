package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every case of reference/sequence.json (PyTorch 2.13, float32): Embedding (padding_idx),
 * RNN, LSTM, GRU, MultiheadAttention and TransformerEncoderLayer. Each case loads
 * parameters_before by PyTorch's names (which must be exactly the module's), runs the recorded
 * call on the input, compares the output, feeds output_grad back and compares the input and
 * every parameter gradient.
 *
 * <p>Tolerance, as the fixture's README says: {@code |a - e| <= max(1e-5 |e|, 1e-6 max(1, M))}
 * with M the largest magnitude of the expected tensor. Weight gradients that sum many O(1)
 * products carry float32 errors of a few 1e-7 absolute in tensors whose entries reach 5 to 12,
 * so a purely relative test would fail on their small entries for reasons of summation order; a
 * wrong formula (a missing scale, a mask off by one, the wrong gate order) is off by far more.
 */
class SequenceReferenceTest {
    private static final JsonNode ROOT = Fixtures.load("reference/sequence.json");

    @Test
    void everyCaseIsReplayed() {
        assertEquals(18, ROOT.get("cases").size());
    }

    @TestFactory
    Stream<DynamicTest> cases() {
        List<DynamicTest> tests = new ArrayList<>();
        JsonNode cases = ROOT.get("cases");
        for (int i = 0; i < cases.size(); i++) {
            JsonNode c = cases.get(i);
            String name = i + " " + c.get("layer").asText() + " " + c.get("options") + " " + c.get("call");
            tests.add(DynamicTest.dynamicTest(name, () -> replay(c)));
        }
        return tests.stream();
    }

    private static void replay(JsonNode c) {
        String layer = c.get("layer").asText();
        JsonNode o = c.get("options"), call = c.get("call");
        Module m = build(layer, o);
        Set<String> expectedParams = new TreeSet<>();
        c.get("parameters_before").fieldNames().forEachRemaining(expectedParams::add);
        assertEquals(expectedParams, new TreeSet<>(m.namedParameters().keySet()), layer + ": parameter names");
        Map<String, Tensor> state = new LinkedHashMap<>();
        c.get("parameters_before").fields().forEachRemaining(e -> state.put(e.getKey(), Fixtures.tensor(e.getValue())));
        m.loadStateDict(state, true);

        boolean indexInput = c.has("input_is_index") && c.get("input_is_index").asBoolean();
        Tensor x = Fixtures.tensor(c.get("input"));
        if (!indexInput) x.requireGrad();
        boolean causal = call.has("causal") && call.get("causal").asBoolean();
        Tensor padding = paddingMask(call.get("key_padding_mask"));
        Tensor y = switch (m) {
            case MultiheadAttention mha -> mha.forward(x, causal ? causalMask(x.size(1)) : null, false, padding);
            case TransformerEncoderLayer enc -> enc.forward(x, causal, padding);
            default -> m.forward(x);
        };
        assertClose(layer + " output", c.get("output"), y);
        y.backward(Fixtures.tensor(c.get("output_grad")));
        if (c.get("expected_input_grad").isNull()) {
            assertNull(x.grad(), layer + ": index input must not receive a gradient");
        } else {
            assertClose(layer + " input grad", c.get("expected_input_grad"), x.grad());
        }
        Map<String, Tensor> params = m.namedParameters();
        c.get("expected_parameter_grads").fields().forEachRemaining(e ->
                assertClose(layer + " d/d " + e.getKey(), e.getValue(), params.get(e.getKey()).grad()));
    }

    /** The float mask of nn.Transformer.generate_square_subsequent_mask(t): 0 on and below the diagonal, -inf above. */
    static Tensor causalMask(int t) {
        float[] v = new float[t * t];
        for (int i = 0; i < t; i++) for (int j = i + 1; j < t; j++) v[i * t + j] = Float.NEGATIVE_INFINITY;
        return Tensor.of(v, t, t);
    }

    private static Tensor paddingMask(JsonNode node) {
        if (node == null || node.isNull()) return null;
        int b = node.size(), t = node.get(0).size();
        float[] v = new float[b * t];
        for (int i = 0; i < b; i++) for (int j = 0; j < t; j++) v[i * t + j] = node.get(i).get(j).asBoolean() ? 1 : 0;
        return Tensor.of(v, b, t);
    }

    private static Module build(String layer, JsonNode o) {
        Generator gen = Generator.seeded(1);
        return switch (layer) {
            case "Embedding" -> Embedding.of(o.get("num_embeddings").asInt(), o.get("embedding_dim").asInt(),
                    o.has("padding_idx") ? o.get("padding_idx").asInt() : -1, Double.NaN, gen);
            case "MultiheadAttention" -> MultiheadAttention.of(o.get("embed_dim").asInt(), o.get("num_heads").asInt(),
                    !o.has("bias") || o.get("bias").asBoolean(), gen);
            case "TransformerEncoderLayer" -> TransformerEncoderLayer.of(o.get("d_model").asInt(), o.get("nhead").asInt(),
                    o.get("dim_feedforward").asInt(), o.get("dropout").asDouble(), o.get("activation").asText(), o.get("norm_first").asBoolean(), gen);
            default -> Recurrents.build(layer, o, gen);
        };
    }

    /** The fixture README's comparison: within 1e-5 relative, or 1e-6 times max(1, the expected tensor's largest magnitude). */
    static void assertClose(String what, JsonNode expectedNode, Tensor actual) {
        Tensor expected = Fixtures.tensor(expectedNode);
        if (actual == null) throw new AssertionError(what + ": no tensor (expected shape " + Arrays.toString(expected.shape()) + ")");
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            throw new AssertionError(what + ": shape " + Arrays.toString(actual.shape()) + ", expected " + Arrays.toString(expected.shape()));
        }
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        double largest = 1;
        for (double v : e) largest = Math.max(largest, Math.abs(v));
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(a[i] - e[i]) <= Math.max(1e-5 * Math.abs(e[i]), 1e-6 * largest))) {
                throw new AssertionError(what + "[" + i + "]: " + a[i] + ", expected " + e[i] + " (difference " + Math.abs(a[i] - e[i]) + ")");
            }
        }
    }
}
