package dev.descent.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The initial weights of the end-to-end reference run, written by PyTorch's safetensors
 * ({@code sgd_momentum.init.safetensors}: Linear(64, 32), ReLU, Linear(32, 10)).
 */
class ReferenceFileTest {
    private static final String RESOURCE = "/reference/e2e/sgd_momentum.init.safetensors";

    private static SafetensorsFile load() throws IOException, URISyntaxException {
        return Safetensors.read(Path.of(ReferenceFileTest.class.getResource(RESOURCE).toURI()));
    }

    @Test
    void namesShapesAndMetadataMatchTheHeader() throws Exception {
        SafetensorsFile f = load();
        // Header order of the file (PyTorch wrote them in module order, not sorted).
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(f.tensors().keySet()));
        assertArrayEquals(new int[] {32, 64}, f.tensor("0.weight").shape());
        assertArrayEquals(new int[] {32}, f.tensor("0.bias").shape());
        assertArrayEquals(new int[] {10, 32}, f.tensor("2.weight").shape());
        assertArrayEquals(new int[] {10}, f.tensor("2.bias").shape());
        assertEquals(Map.of("format", "pt"), f.metadata());
    }

    @Test
    void valuesFollowPyTorchDefaultLinearInit() throws Exception {
        SafetensorsFile f = load();
        // nn.Linear draws weight and bias from U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
        assertUniformWithin(f.tensor("0.weight"), 1 / Math.sqrt(64));
        assertUniformWithin(f.tensor("0.bias"), 1 / Math.sqrt(64));
        assertUniformWithin(f.tensor("2.weight"), 1 / Math.sqrt(32));
        assertUniformWithin(f.tensor("2.bias"), 1 / Math.sqrt(32));
    }

    private static void assertUniformWithin(Tensor t, double bound) {
        float[] v = t.toFloatArray();
        double sum = 0, max = 0;
        for (float x : v) {
            assertTrue(Math.abs(x) <= bound, () -> "|" + x + "| > " + bound);
            sum += x;
            max = Math.max(max, Math.abs(x));
        }
        // Not all zeros or a constant: the values spread over most of the interval.
        assertTrue(max > bound / 2, "largest |value| " + max + " is suspiciously small for U(-" + bound + ", " + bound + ")");
        if (v.length >= 1000) assertTrue(Math.abs(sum / v.length) < bound / 10, "mean " + sum / v.length + " far from 0");
    }

    @Test
    void fromBytesOfTheResourceGivesTheSameTensors() throws Exception {
        byte[] bytes;
        try (InputStream in = ReferenceFileTest.class.getResourceAsStream(RESOURCE)) {
            bytes = in.readAllBytes();
        }
        SafetensorsFile fromMemory = Safetensors.fromBytes(bytes, RESOURCE);
        SafetensorsFile fromFile = load();
        for (String name : fromFile.tensors().keySet()) {
            assertArrayEquals(fromFile.tensor(name).toFloatArray(), fromMemory.tensor(name).toFloatArray(), name);
        }
    }

    @Test
    void firstWeightMatchesTheRawBytesAtItsOffset() throws Exception {
        byte[] bytes;
        try (InputStream in = ReferenceFileTest.class.getResourceAsStream(RESOURCE)) {
            bytes = in.readAllBytes();
        }
        // Header length 304 (from the file); "0.bias" has data_offsets [8192, 8320].
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long headerLength = b.getLong(0);
        assertEquals(304, headerLength);
        float firstBias = b.getFloat((int) (8 + headerLength + 8192));
        assertEquals(firstBias, load().tensor("0.bias").toFloatArray()[0]);
    }
}
