package dev.descent.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Every readable dtype converts to float32 as documented. */
class SafetensorsDTypeTest {

    private static float[] read(String dtype, int count, ByteBuffer data) throws MalformedFileException {
        byte[] bytes = new byte[data.position()];
        data.flip().get(bytes);
        String header = "{" + RawSafetensors.entry("x", dtype, "[" + count + "]", 0, bytes.length) + "}";
        return Safetensors.fromBytes(RawSafetensors.of(header, bytes), dtype + ".safetensors").tensor("x").toFloatArray();
    }

    private static ByteBuffer le(int capacity) {
        return ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void f64RoundsToNearestFloatAndOverflowsToInfinity() throws Exception {
        ByteBuffer b = le(32).putDouble(0.1).putDouble(-1e300).putDouble(Double.NaN).putDouble(1e-50);
        float[] v = read("F64", 4, b);
        assertEquals(0.1f, v[0]);
        assertEquals(Float.NEGATIVE_INFINITY, v[1]);
        assertTrue(Float.isNaN(v[2]));
        assertEquals(0f, v[3]);
    }

    @Test
    void f16IsExactIncludingSubnormalsAndInfinity() throws Exception {
        ByteBuffer b = le(12).putShort((short) 0x3C00).putShort((short) 0xC000).putShort((short) 0x7C00)
                .putShort((short) 0x0001).putShort((short) 0x7BFF).putShort((short) 0x3555);
        float[] v = read("F16", 6, b);
        assertArrayEquals(new float[] {1f, -2f, Float.POSITIVE_INFINITY, 0x1p-24f, 65504f, 0.333251953125f}, v);
    }

    @Test
    void bf16IsTheUpperHalfOfAFloat() throws Exception {
        ByteBuffer b = le(6).putShort((short) 0x3F80).putShort((short) 0xC0A0).putShort((short) 0x7F80);
        assertArrayEquals(new float[] {1f, -5f, Float.POSITIVE_INFINITY}, read("BF16", 3, b));
    }

    @Test
    void signedIntegersRoundOnlyBeyondTwoToThe24() throws Exception {
        ByteBuffer i64 = le(24).putLong(-3).putLong((1L << 24) + 1).putLong(Long.MIN_VALUE);
        assertArrayEquals(new float[] {-3f, 16777216f, -0x1p63f}, read("I64", 3, i64));
        ByteBuffer i32 = le(12).putInt(Integer.MIN_VALUE).putInt(123456).putInt(-1);
        assertArrayEquals(new float[] {-0x1p31f, 123456f, -1f}, read("I32", 3, i32));
        ByteBuffer i16 = le(4).putShort(Short.MIN_VALUE).putShort((short) 300);
        assertArrayEquals(new float[] {-32768f, 300f}, read("I16", 2, i16));
        ByteBuffer i8 = le(3).put((byte) -128).put((byte) 127).put((byte) 0);
        assertArrayEquals(new float[] {-128f, 127f, 0f}, read("I8", 3, i8));
    }

    @Test
    void unsignedIntegersReadTheirFullRange() throws Exception {
        ByteBuffer u64 = le(24).putLong(-1L).putLong(Long.MIN_VALUE + 1).putLong(7);
        // 2^64-1 rounds to 2^64; 2^63+1 rounds to 2^63.
        assertArrayEquals(new float[] {0x1p64f, 0x1p63f, 7f}, read("U64", 3, u64));
        ByteBuffer u32 = le(8).putInt(-1).putInt(5);
        assertArrayEquals(new float[] {4294967295f, 5f}, read("U32", 2, u32));
        ByteBuffer u16 = le(4).putShort((short) -1).putShort((short) 9);
        assertArrayEquals(new float[] {65535f, 9f}, read("U16", 2, u16));
        ByteBuffer u8 = le(2).put((byte) -1).put((byte) 200);
        assertArrayEquals(new float[] {255f, 200f}, read("U8", 2, u8));
    }

    @Test
    void boolIsZeroOrOneAndAnythingElseIsRejected() throws Exception {
        assertArrayEquals(new float[] {0f, 1f, 1f}, read("BOOL", 3, le(3).put((byte) 0).put((byte) 1).put((byte) 1)));
        var e = assertThrows(MalformedFileException.class, () -> read("BOOL", 3, le(3).put((byte) 0).put((byte) 1).put((byte) 2)));
        assertEquals("BOOL.safetensors: tensor \"x\": element 2 of BOOL data is neither 0 nor 1", e.getMessage());
    }

    @Test
    void multiDimensionalShapeIsKept() throws Exception {
        ByteBuffer b = le(6);
        for (int i = 0; i < 6; i++) b.put((byte) i);
        String header = "{" + RawSafetensors.entry("x", "U8", "[2,1,3]", 0, 6) + "}";
        byte[] data = new byte[6];
        b.flip().get(data);
        var t = Safetensors.fromBytes(RawSafetensors.of(header, data), "m").tensor("x");
        assertArrayEquals(new int[] {2, 1, 3}, t.shape());
        assertEquals(5.0, t.get(1, 0, 2));
    }
}
