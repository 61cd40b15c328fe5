package dev.descent.nn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.descent.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Reads the PyTorch reference fixture copied from ../shared/reference into the test resources and
 * compares tensors with it. Private to the nn tests (a shared helper is coming on another branch).
 */
final class Fixtures {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * Agreement with PyTorch: {@code |actual - expected| <= 1e-5 * max(1, |expected|)}. Both sides
     * are float32 computations of the same formula in different operation orders (summation order,
     * x/sqrt(v) vs x*rsqrt(v), composed vs fused kernels), so they differ by a few float32 ulps
     * (2^-23 = 1.2e-7) of the magnitudes involved: 1e-5 leaves room for ~80 ulps. Values below 1 in
     * magnitude are often the cancellation of O(1) terms (normalized outputs, gradients through
     * batch statistics), so their error is absolute, on the O(1) scale, hence the max(1, |e|).
     * A wrong formula (biased vs unbiased variance, a missing 1/(1-p), a wrong slope) is off by far
     * more than that.
     */
    static final double TOLERANCE = 1e-5;

    private Fixtures() {}

    static JsonNode load(String resource) {
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalArgumentException("test resource " + resource + " not found");
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Float32 tensor from a {"shape", "data"} node. */
    static Tensor tensor(JsonNode node) {
        int[] shape = new int[node.get("shape").size()];
        for (int i = 0; i < shape.length; i++) shape[i] = node.get("shape").get(i).asInt();
        JsonNode data = node.get("data");
        float[] v = new float[data.size()];
        for (int i = 0; i < v.length; i++) v[i] = (float) data.get(i).asDouble();
        return Tensor.of(v, shape);
    }

    /** Asserts shape equality and elementwise agreement within {@link #TOLERANCE}; names the first bad element. */
    static void assertClose(String what, JsonNode expectedNode, Tensor actual) {
        Tensor expected = tensor(expectedNode);
        if (actual == null) throw new AssertionError(what + ": no tensor (expected shape " + Arrays.toString(expected.shape()) + ")");
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            throw new AssertionError(what + ": shape " + Arrays.toString(actual.shape()) + ", expected " + Arrays.toString(expected.shape()));
        }
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(a[i] - e[i]) <= TOLERANCE * Math.max(1, Math.abs(e[i])))) {
                throw new AssertionError(what + "[" + i + "]: " + a[i] + ", expected " + e[i] + " (difference " + Math.abs(a[i] - e[i]) + ")");
            }
        }
    }
}
