package dev.descent.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every case of reference/losses.json (PyTorch 1.13, float32): the loss value and the
 * gradient of the sum of its output with respect to the input, in float32 (the training path)
 * and in float64 (the gradient-check path).
 *
 * <p>Tolerance: |actual - expected| &lt;= 1e-5 * max(1, |expected|), relative for values above 1
 * and absolute below. PyTorch's float32 numbers carry rounding of a few ulp per operation
 * (float32 epsilon 6e-8); over a log-softmax and a sum of at most 30 terms that stays below
 * ~1e-6, in float32 (our own rounding differs by a similar amount) and in float64 (exact
 * arithmetic on the same float32 inputs). 1e-5 leaves a 10x margin while any formula slip
 * (a wrong divisor, smoothing term or weight) moves values by 1e-3 or more. The absolute floor
 * keeps near-zero gradients from demanding relative accuracy that float32 cannot give. The
 * largest deviation observed when this was written was 2.3e-7 (BCE value, float32).
 */
class ReferenceCasesTest {
    static final double TOLERANCE = 1e-5;

    static JsonNode cases() throws IOException {
        try (InputStream in = ReferenceCasesTest.class.getResourceAsStream("/reference/losses.json")) {
            assertNotNull(in, "reference/losses.json is missing from the test resources");
            return new ObjectMapper().readTree(in).get("cases");
        }
    }

    static Stream<Arguments> replay() throws IOException {
        List<Arguments> out = new ArrayList<>();
        JsonNode cases = cases();
        for (int i = 0; i < cases.size(); i++) {
            JsonNode c = cases.get(i);
            String name = i + " " + c.get("loss").asText() + " " + c.get("options");
            out.add(Arguments.of(name + " f32", c, DType.F32));
            out.add(Arguments.of(name + " f64", c, DType.F64));
        }
        return out.stream();
    }

    @Test
    void allTwentyCasesArePresent() throws IOException {
        assertEquals(20, cases().size(), "losses.json should hold 20 cases; a changed fixture needs this test revisited");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("replay")
    void matchesPyTorch(String name, JsonNode c, DType dtype) {
        Loss loss = lossOf(c.get("loss").asText(), c.get("options"));
        Tensor input = tensor(c.get("input"), dtype).requireGrad();
        Tensor target = tensor(c.get("target"), dtype);
        Tensor out = loss.apply(input, target);

        JsonNode expected = c.get("expected");
        assertArrayEquals(shape(expected), out.shape(), name + ": output shape");
        assertClose(name + " value", doubles(expected.get("data")), out.toDoubleArray());

        out.sum().backward();
        assertNotNull(input.grad(), name + ": no gradient reached the input");
        assertClose(name + " input gradient", doubles(c.get("expected_input_grad").get("data")), input.grad().toDoubleArray());
    }

    /** Builds the Descent loss named by PyTorch's class name and options. */
    static Loss lossOf(String torchClass, JsonNode o) {
        Reduction r = o.has("reduction") ? Reduction.parse(o.get("reduction").asText()) : Reduction.MEAN;
        Tensor weight = o.has("weight") ? Tensor.vector(floats(o.get("weight"))) : null;
        int ignoreIndex = o.has("ignore_index") ? o.get("ignore_index").asInt() : Losses.DEFAULT_IGNORE_INDEX;
        return switch (torchClass) {
            case "MSELoss" -> Losses.mse(r);
            case "L1Loss" -> Losses.l1(r);
            case "SmoothL1Loss" -> Losses.smoothL1(o.path("beta").asDouble(1.0), r);
            case "HuberLoss" -> Losses.huber(o.path("delta").asDouble(1.0), r);
            case "BCELoss" -> Losses.bce(weight, r);
            case "BCEWithLogitsLoss" -> Losses.bceWithLogits(
                    o.has("pos_weight") ? Tensor.vector(floats(o.get("pos_weight"))) : null, weight, r);
            case "CrossEntropyLoss" -> Losses.crossEntropy(weight, ignoreIndex, o.path("label_smoothing").asDouble(0.0), r);
            case "NLLLoss" -> Losses.nll(weight, ignoreIndex, r);
            case "KLDivLoss" -> Losses.klDiv(o.path("log_target").asBoolean(false), r);
            case "MultiMarginLoss" -> Losses.multiMargin(o.path("p").asInt(1), o.path("margin").asDouble(1.0), weight, r);
            default -> throw new AssertionError("no Descent loss for PyTorch's " + torchClass);
        };
    }

    static void assertClose(String what, double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length, what + ": element count");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            if (!(Math.abs(a - e) <= TOLERANCE * Math.max(1.0, Math.abs(e)))) {
                fail(what + "[" + i + "]: expected " + e + ", got " + a + " (difference " + Math.abs(a - e) + ")");
            }
        }
    }

    static Tensor tensor(JsonNode node, DType dtype) {
        double[] v = doubles(node.get("data"));
        int[] shape = shape(node);
        return dtype == DType.F64 ? Tensor.of(v, shape) : Tensor.of(toFloats(v), shape);
    }

    static int[] shape(JsonNode node) {
        JsonNode s = node.get("shape");
        int[] out = new int[s.size()];
        for (int i = 0; i < out.length; i++) out[i] = s.get(i).asInt();
        return out;
    }

    static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asDouble();
        return out;
    }

    static float[] floats(JsonNode array) {
        return toFloats(doubles(array));
    }

    static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }
}
