package dev.descent.interop.proto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The wire format against the encoding guide's own examples and against an independent decoder. */
class ProtoWriterTest {
    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return b;
    }

    /** The guide's examples: field 1 = 150 is 08 96 01; field 2 = "testing" is 12 07 74 65 73 74 69 6e 67. */
    @Test
    void encodesTheGuidesExamples() {
        assertArrayEquals(bytes(0x08, 0x96, 0x01), new ProtoWriter().varint(1, 150).toByteArray());
        assertArrayEquals(bytes(0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67), new ProtoWriter().string(2, "testing").toByteArray());
        // A nested message is a length-delimited field: Test3 { Test1 c = 3 } with c.a = 150 is 1a 03 08 96 01.
        assertArrayEquals(bytes(0x1a, 0x03, 0x08, 0x96, 0x01), new ProtoWriter().message(3, new ProtoWriter().varint(1, 150)).toByteArray());
        // Negative int64: ten bytes, two's complement.
        assertArrayEquals(bytes(0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01), new ProtoWriter().varint(1, -1).toByteArray());
        // Packed: field 4 = [3, 270, 86942] is 22 06 03 8e 02 9e a7 05.
        assertArrayEquals(bytes(0x22, 0x06, 0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05), new ProtoWriter().packedVarints(4, new long[] {3, 270, 86942}).toByteArray());
    }

    @Test
    void numbersRoundTripThroughAnIndependentDecoder() {
        byte[] data = new ProtoWriter().doubleField(1, -2.5e-300).floatField(2, 3.25f).varint(300, 1L << 40)
                .packedDoubles(7, new double[] {1, -0.5}).packedFloats(8, new float[] {Float.MIN_VALUE}).toByteArray();
        ProtoReader r = ProtoReader.parse(data);
        assertEquals(-2.5e-300, r.doubleValue(1));
        assertEquals(3.25f, r.floatValue(2));
        assertEquals(1L << 40, r.varint(300));
        assertArrayEquals(new double[] {1, -0.5}, r.doubles(7));
        assertEquals(4, ((byte[]) r.all(8).getFirst()).length);
    }
}
