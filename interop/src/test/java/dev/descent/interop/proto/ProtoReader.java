package dev.descent.interop.proto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test-side decoder of the protobuf wire format: a message's fields by number, each value kept
 * raw (a Long for varints and fixed-width numbers, a byte[] for length-delimited fields). Enough to
 * read back what {@link ProtoWriter} wrote, independently of it.
 */
public record ProtoReader(Map<Integer, List<Object>> fields) {
    public static ProtoReader parse(byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        Map<Integer, List<Object>> fields = new LinkedHashMap<>();
        while (b.hasRemaining()) {
            long tag = varint(b);
            int field = (int) (tag >>> 3), type = (int) (tag & 7);
            Object v = switch (type) {
                case 0 -> varint(b);
                case 1 -> b.getLong();
                case 5 -> (long) b.getInt();
                case 2 -> {
                    byte[] bytes = new byte[(int) varint(b)];
                    b.get(bytes);
                    yield bytes;
                }
                default -> throw new IllegalArgumentException("wire type " + type + " at field " + field);
            };
            fields.computeIfAbsent(field, k -> new ArrayList<>()).add(v);
        }
        return new ProtoReader(fields);
    }

    public List<Object> all(int field) {
        return fields.getOrDefault(field, List.of());
    }

    public boolean has(int field) {
        return fields.containsKey(field);
    }

    public ProtoReader message(int field) {
        return parse((byte[]) all(field).getFirst());
    }

    public List<ProtoReader> messages(int field) {
        return all(field).stream().map(o -> parse((byte[]) o)).toList();
    }

    public String string(int field) {
        return new String((byte[]) all(field).getFirst(), StandardCharsets.UTF_8);
    }

    public long varint(int field) {
        return (Long) all(field).getFirst();
    }

    public double doubleValue(int field) {
        return Double.longBitsToDouble((Long) all(field).getFirst());
    }

    public float floatValue(int field) {
        return Float.intBitsToFloat((int) (long) (Long) all(field).getFirst());
    }

    /** A packed repeated double field. */
    public double[] doubles(int field) {
        ByteBuffer b = ByteBuffer.wrap((byte[]) all(field).getFirst()).order(ByteOrder.LITTLE_ENDIAN);
        double[] out = new double[b.remaining() / 8];
        for (int i = 0; i < out.length; i++) out[i] = b.getDouble();
        return out;
    }

    private static long varint(ByteBuffer b) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            byte x = b.get();
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) return v;
        }
    }
}
