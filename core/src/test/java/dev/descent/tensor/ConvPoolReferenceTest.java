package dev.descent.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.descent.testing.ReferenceJson;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Replays the Conv2d, MaxPool2d and AvgPool2d cases of PyTorch's reference fixture
 * (reference/layers.json, float32 on CPU) through the functional primitives: output, input
 * gradient for the given output gradient, and weight and bias gradients.
 *
 * <p>Tolerance {@code |actual - expected| <= 1e-5 * max(1, |expected|)}: both sides are float32
 * evaluations of the same sums in different orders (PyTorch's kernels vs Descent's fma chains).
 * The longest sum here has 2*3*3 = 18 terms for the output and 2*16 = 32 for a weight gradient,
 * of products of magnitude up to a few units, so reordering changes a result by about
 * 32 * 6e-8 * (sum of |terms|) ~ 1e-6 at most (observed: within 3e-7); 1e-5 leaves a 10x margin
 * over the worst case and still catches any wrong index (errors of the size of a term). Below 1 the bound is absolute, since relative error
 * is meaningless for results that cancel to near zero. Pooling results are single elements or
 * averages and agree far more tightly.
 */
class ConvPoolReferenceTest {
    private static final double TOL = 1e-5;

    private static List<JsonNode> cases(String layer) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode c : ReferenceJson.load("reference/layers.json").get("cases")) {
            if (c.get("layer").asText().equals(layer)) out.add(c);
        }
        if (out.isEmpty()) fail("no " + layer + " case in reference/layers.json");
        return out;
    }

    private static void assertClose(String what, Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(a[i] - e[i]) <= TOL * Math.max(1, Math.abs(e[i])))) {
                fail(what + "[" + i + "]: expected " + e[i] + ", got " + a[i]);
            }
        }
    }

    /** An option that is an int or an [h, w] pair, as PyTorch accepts; absent gives the default pair. */
    private static int[] pair(JsonNode options, String name, int[] absent) {
        JsonNode v = options.get(name);
        if (v == null || v.isNull()) return absent;
        return v.isArray() ? new int[] {v.get(0).asInt(), v.get(1).asInt()} : new int[] {v.asInt(), v.asInt()};
    }

    @Test
    void conv2dMatchesPyTorch() {
        List<JsonNode> cases = cases("Conv2d");
        assertEquals(2, cases.size(), "the fixture's Conv2d cases");
        for (JsonNode c : cases) {
            JsonNode opt = c.get("options");
            String name = "Conv2d " + opt;
            int[] stride = pair(opt, "stride", new int[] {1, 1});
            int[] padding = pair(opt, "padding", new int[] {0, 0});
            int[] dilation = pair(opt, "dilation", new int[] {1, 1});
            int groups = opt.has("groups") ? opt.get("groups").asInt() : 1;
            Tensor x = ReferenceJson.tensor(c.get("input")).requireGrad();
            Tensor w = ReferenceJson.tensor(c.get("parameters_before").get("weight")).requireGrad();
            Tensor b = ReferenceJson.tensor(c.get("parameters_before").get("bias")).requireGrad();
            Tensor out = x.conv2d(w, b, stride, padding, dilation, groups);
            assertClose(name + " output", ReferenceJson.tensor(c.get("output")), out);
            out.backward(ReferenceJson.tensor(c.get("output_grad")));
            assertClose(name + " input grad", ReferenceJson.tensor(c.get("expected_input_grad")), x.grad());
            assertClose(name + " weight grad", ReferenceJson.tensor(c.get("expected_parameter_grads").get("weight")), w.grad());
            assertClose(name + " bias grad", ReferenceJson.tensor(c.get("expected_parameter_grads").get("bias")), b.grad());
        }
    }

    private void pool(String layer, boolean max) {
        for (JsonNode c : cases(layer)) {
            JsonNode opt = c.get("options");
            int[] kernel = pair(opt, "kernel_size", null);
            int[] stride = pair(opt, "stride", kernel); // PyTorch: stride defaults to the kernel size
            int[] padding = pair(opt, "padding", new int[] {0, 0});
            Tensor x = ReferenceJson.tensor(c.get("input")).requireGrad();
            Tensor out = max ? x.maxPool2d(kernel, stride, padding) : x.avgPool2d(kernel, stride, padding);
            assertClose(layer + " output", ReferenceJson.tensor(c.get("output")), out);
            out.backward(ReferenceJson.tensor(c.get("output_grad")));
            assertClose(layer + " input grad", ReferenceJson.tensor(c.get("expected_input_grad")), x.grad());
        }
    }

    @Test
    void maxPool2dMatchesPyTorch() {
        pool("MaxPool2d", true);
    }

    @Test
    void avgPool2dMatchesPyTorch() {
        pool("AvgPool2d", false);
    }
}
