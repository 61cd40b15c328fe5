package dev.descent.nn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.descent.tensor.Tensor;
import dev.descent.testing.ReferenceJson;
import java.util.Arrays;

/**
 * Reads the PyTorch reference fixture (copied from ../shared/reference into the test resources)
 * through the shared {@link ReferenceJson} and compares tensors with it.
 */
final class Fixtures {
    /**
     * Agreement with PyTorch: {@code |actual - expected| <= 1e-5 * max(1, |expected|)}. Both sides
     * are float32 computations of the same formula in different operation orders (summation order,
     * x/sqrt(v) vs x*rsqrt(v), composed vs fused kernels), so they differ by a few float32 ulps
     * (2^-23 = 1.2e-7) of the magnitudes involved: 1e-5 leaves room for ~80 ulps. Values below 1 in
     * magnitude are often the cancellation of O(1) terms (normalized outputs, gradients through
     * batch statistics), so their error is absolute, on the O(1) scale, hence the max(1, |e|).
     * Measured on layers.json: the worst case differs by 3.6e-7 (three ulps at O(1), in BatchNorm2d's
     * output); every case passes at 1e-6. 1e-5 keeps a margin for kernels whose summation order
     * may change (vector widths, blocking), while a wrong formula (biased vs unbiased variance, a
     * missing 1/(1-p), a wrong slope, GELU's tanh form for the exact one, off by up to 5e-4) is off
     * by far more.
     */
    static final double TOLERANCE = 1e-5;

    private Fixtures() {}

    static JsonNode load(String resource) {
        return ReferenceJson.load(resource);
    }

    /** Float32 tensor from a {"shape", "data"} node. */
    static Tensor tensor(JsonNode node) {
        return ReferenceJson.tensor(node);
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
