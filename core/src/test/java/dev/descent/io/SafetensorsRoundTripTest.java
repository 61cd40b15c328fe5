package dev.descent.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Write then read gives back the same tensors bit for bit, and the bytes have the expected layout. */
class SafetensorsRoundTripTest {
    @TempDir Path dir;

    private static final float[] SPECIAL = {
        Float.NaN, Float.intBitsToFloat(0x7fc0_1234), Float.intBitsToFloat(0xffc0_0001), // NaNs with payload and sign
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.0f, 0.0f,
        Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 1f / 3
    };

    private static void assertBitExact(Tensor expected, Tensor actual, String name) {
        assertArrayEquals(expected.shape(), actual.shape(), name + " shape");
        float[] e = expected.toFloatArray(), a = actual.toFloatArray();
        assertEquals(e.length, a.length, name + " numel");
        for (int i = 0; i < e.length; i++) {
            assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(a[i]), name + "[" + i + "]");
        }
    }

    @Test
    void roundTripIsBitExactForSpecialValuesEmptyAndScalar() throws Exception {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("special", Tensor.of(SPECIAL.clone(), SPECIAL.length));
        tensors.put("empty", Tensor.zeros(0));
        tensors.put("empty2d", Tensor.zeros(3, 0));
        tensors.put("scalar", Tensor.scalar(Float.intBitsToFloat(0x7fc0_0abc)));
        tensors.put("random", Tensor.randn(Generator.seeded(7), 3, 4, 5));
        Path file = dir.resolve("t.safetensors");
        Safetensors.write(file, tensors, Map.of("format", "pt", "note", "ünïcødé \"quoted\"\n"));

        SafetensorsFile back = Safetensors.read(file);
        assertEquals(tensors.keySet(), back.tensors().keySet());
        for (String name : tensors.keySet()) assertBitExact(tensors.get(name), back.tensor(name), name);
        assertArrayEquals(new int[0], back.tensor("scalar").shape());
        assertArrayEquals(new int[] {3, 0}, back.tensor("empty2d").shape());
        assertEquals(Map.of("format", "pt", "note", "ünïcødé \"quoted\"\n"), back.metadata());
    }

    @Test
    void viewsAreWrittenInRowMajorOrder() throws Exception {
        Tensor base = Tensor.arange(6).reshape(2, 3);
        Tensor transposed = base.t(); // a strided view: [[0, 3], [1, 4], [2, 5]]
        SafetensorsFile back = Safetensors.fromBytes(Safetensors.toBytes(Map.of("t", transposed), null), "mem");
        assertArrayEquals(new int[] {3, 2}, back.tensor("t").shape());
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, back.tensor("t").toFloatArray());
    }

    @Test
    void layoutIsSortedContiguousAndEightByteAligned() throws Exception {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("b", Tensor.vector(1, 2, 3));
        tensors.put("a", Tensor.vector(4));
        byte[] bytes = Safetensors.toBytes(tensors, null);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) buf.getLong(0);
        String header = new String(bytes, 8, n, StandardCharsets.UTF_8);
        // Exactly this JSON: sorted by name, offsets packed, then spaces up to a multiple of 8.
        String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[4,16]}}";
        assertEquals(0, n % 8);
        assertEquals(json + " ".repeat(n - json.length()), header);
        assertEquals(8 + n + 16, bytes.length);
        assertEquals(4f, buf.getFloat(8 + n));
        assertEquals(3f, buf.getFloat(8 + n + 12));
    }

    @Test
    void metadataComesFirstAndSameInputGivesSameBytes() {
        Map<String, Tensor> tensors = Map.of("w", Tensor.vector(1), "v", Tensor.vector(2));
        Map<String, String> meta = Map.of("z", "1", "a", "2");
        byte[] first = Safetensors.toBytes(tensors, meta);
        int n = (int) ByteBuffer.wrap(first).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        String header = new String(first, 8, n, StandardCharsets.UTF_8);
        String expectedStart = "{\"__metadata__\":{\"a\":\"2\",\"z\":\"1\"},\"v\":";
        assertEquals(expectedStart, header.substring(0, expectedStart.length()));
        assertArrayEquals(first, Safetensors.toBytes(new LinkedHashMap<>(tensors), new LinkedHashMap<>(meta)));
    }

    @Test
    void unusualNamesSurvive() throws Exception {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (String name : List.of("", "with \"quote\"", "back\\slash", "tab\tnew\nline\u0001", "日本語", "emoji 😀", "layers.0.attn/q_proj")) {
            tensors.put(name, Tensor.vector(name.length()));
        }
        SafetensorsFile back = Safetensors.fromBytes(Safetensors.toBytes(tensors, null), "mem");
        assertEquals(tensors.keySet(), back.tensors().keySet());
        for (String name : tensors.keySet()) assertEquals(name.length(), back.tensor(name).item(), name);
    }

    @Test
    void fromByteBufferReadsPositionToLimitAndLeavesTheBufferAlone() throws Exception {
        byte[] file = Safetensors.toBytes(Map.of("x", Tensor.vector(5, 6)), null);
        byte[] padded = new byte[file.length + 10];
        System.arraycopy(file, 0, padded, 3, file.length);
        ByteBuffer buf = ByteBuffer.wrap(padded).position(3).limit(3 + file.length); // big-endian order on purpose
        SafetensorsFile back = Safetensors.fromBytes(buf, "slice");
        assertArrayEquals(new float[] {5, 6}, back.tensor("x").toFloatArray());
        assertEquals(3, buf.position());
        assertEquals(3 + file.length, buf.limit());
        assertEquals(ByteOrder.BIG_ENDIAN, buf.order());
    }

    @Test
    void largeTensorCrossesReadAndWriteChunks() throws Exception {
        // 300k floats: more than one 64k-float write chunk and one 1 MB read chunk.
        Tensor big = Tensor.randn(Generator.seeded(3), 300_000);
        Path file = dir.resolve("big.safetensors");
        Safetensors.write(file, Map.of("big", big, "after", Tensor.vector(42)));
        SafetensorsFile back = Safetensors.read(file);
        assertBitExact(big, back.tensor("big"), "big");
        assertEquals(42f, back.tensor("after").item());
    }
}
