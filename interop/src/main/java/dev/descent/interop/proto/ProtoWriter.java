package dev.descent.interop.proto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Encodes one protocol-buffers message in the wire format
 * (https://protobuf.dev/programming-guides/encoding/): each field is a tag
 * {@code (field number << 3) | wire type} as a varint, then its value: a varint (type 0), eight
 * little-endian bytes (type 1, double), a length-prefixed byte string (type 2: strings, bytes,
 * nested messages, packed repeated numbers) or four little-endian bytes (type 5, float).
 *
 * <p>Descent only writes the few messages TensorBoard and ONNX read (an event, a summary, a
 * model graph), never parses them, and every file it writes is checked by the reading tool itself
 * (TensorBoard's EventAccumulator, onnx.checker, ONNX Runtime). Encoding those fields by hand
 * keeps the CLI free of a generated-code toolchain (protoc) and of protobuf-java's 1.9 MB; the
 * field numbers live next to each message's writer, each with the .proto it comes from.
 *
 * <p>Fields are written in call order; proto3 readers accept any order. Writing a field whose
 * value is the default (0, "") is allowed and harmless.
 */
public final class ProtoWriter {
    private static final int VARINT = 0, FIXED64 = 1, LENGTH_DELIMITED = 2, FIXED32 = 5;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** An int32, int64, uint64, bool or enum field (negative numbers take ten bytes, as proto3 encodes int64). */
    public ProtoWriter varint(int field, long value) {
        tag(field, VARINT);
        rawVarint(value);
        return this;
    }

    public ProtoWriter bool(int field, boolean value) {
        return varint(field, value ? 1 : 0);
    }

    public ProtoWriter doubleField(int field, double value) {
        tag(field, FIXED64);
        rawFixed64(Double.doubleToRawLongBits(value));
        return this;
    }

    public ProtoWriter floatField(int field, float value) {
        tag(field, FIXED32);
        rawFixed32(Float.floatToRawIntBits(value));
        return this;
    }

    public ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    public ProtoWriter bytes(int field, byte[] value) {
        tag(field, LENGTH_DELIMITED);
        rawVarint(value.length);
        out.writeBytes(value);
        return this;
    }

    /** A nested message. */
    public ProtoWriter message(int field, ProtoWriter message) {
        return bytes(field, message.toByteArray());
    }

    /** A packed repeated double field. */
    public ProtoWriter packedDoubles(int field, double[] values) {
        ProtoWriter body = new ProtoWriter();
        for (double v : values) body.rawFixed64(Double.doubleToRawLongBits(v));
        return bytes(field, body.toByteArray());
    }

    /** A packed repeated float field. */
    public ProtoWriter packedFloats(int field, float[] values) {
        ProtoWriter body = new ProtoWriter();
        for (float v : values) body.rawFixed32(Float.floatToRawIntBits(v));
        return bytes(field, body.toByteArray());
    }

    /** A packed repeated int32/int64 field. */
    public ProtoWriter packedVarints(int field, long[] values) {
        ProtoWriter body = new ProtoWriter();
        for (long v : values) body.rawVarint(v);
        return bytes(field, body.toByteArray());
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    private void tag(int field, int wireType) {
        if (field < 1) throw new IllegalArgumentException("protobuf field numbers start at 1, got " + field);
        rawVarint(((long) field << 3) | wireType);
    }

    private void rawVarint(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private void rawFixed64(long v) {
        for (int i = 0; i < 8; i++) out.write((int) (v >>> (8 * i)) & 0xFF);
    }

    private void rawFixed32(int v) {
        for (int i = 0; i < 4; i++) out.write((v >>> (8 * i)) & 0xFF);
    }
}
