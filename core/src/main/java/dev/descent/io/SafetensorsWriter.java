package dev.descent.io;

import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Lays out and writes a safetensors file the way the reference implementation does for float32
 * tensors (and I64 for the ones named so: counts, as PyTorch stores them): tensors sorted by name, data packed back to back in that order, the header padded with
 * spaces so that the data starts at a multiple of 8 bytes. See {@link Safetensors} for the format.
 */
final class SafetensorsWriter {
    private static final int CHUNK_FLOATS = 1 << 16;

    private final TreeMap<String, Tensor> tensors;
    private final Set<String> int64;
    private final byte[] header;
    private final long dataBytes;

    /**
     * Validates the arguments and builds the header; nothing is written yet. The tensors named in
     * {@code int64} are written as I64 (their values must be whole numbers), the others as F32.
     */
    SafetensorsWriter(Map<String, Tensor> tensors, Map<String, String> metadata, Set<String> int64) {
        if (tensors == null) throw new IllegalArgumentException("safetensors write: the tensor map is null");
        this.int64 = Set.copyOf(int64);
        this.tensors = new TreeMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null) throw new IllegalArgumentException("safetensors write: a tensor name is null");
            checkText(name, "tensor name");
            if (name.equals("__metadata__")) throw new IllegalArgumentException("safetensors write: \"__metadata__\" is reserved and cannot name a tensor");
            Tensor t = e.getValue();
            if (t == null) throw new IllegalArgumentException("safetensors write: tensor \"" + name + "\" is null");
            if (t.dtype() != DType.F32) {
                throw new IllegalArgumentException("safetensors write: tensor \"" + name + "\" is " + t.dtype() + "; only F32 is written, convert with toF32()");
            }
            if (int64.contains(name)) {
                for (float v : t.toFloatArray()) {
                    if (v != Math.rint(v) || Math.abs(v) > 0x1p62f) {
                        throw new IllegalArgumentException("safetensors write: tensor \"" + name + "\" is written as I64 but holds " + v);
                    }
                }
            }
            this.tensors.put(name, t);
        }
        for (String name : int64) {
            if (!this.tensors.containsKey(name)) throw new IllegalArgumentException("safetensors write: no tensor \"" + name + "\" to write as I64");
        }

        Map<String, Json> members = new LinkedHashMap<>();
        if (metadata != null && !metadata.isEmpty()) {
            for (String key : metadata.keySet()) checkText(key, "metadata key");
            Map<String, Json> meta = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : new TreeMap<>(metadata).entrySet()) { // sorted: deterministic bytes
                if (e.getValue() == null) throw new IllegalArgumentException("safetensors write: metadata \"" + e.getKey() + "\" has a null value");
                checkText(e.getValue(), "metadata value");
                meta.put(e.getKey(), new Json.Str(e.getValue()));
            }
            members.put("__metadata__", new Json.Obj(meta));
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : this.tensors.entrySet()) {
            boolean whole = int64.contains(e.getKey());
            long bytes = (whole ? 8L : 4L) * e.getValue().numel();
            List<Json> shape = new ArrayList<>();
            for (int d : e.getValue().shape()) shape.add(number(d));
            Map<String, Json> entry = new LinkedHashMap<>(); // fixed key order: same tensors, same bytes
            entry.put("dtype", new Json.Str(whole ? "I64" : "F32"));
            entry.put("shape", new Json.Arr(shape));
            entry.put("data_offsets", new Json.Arr(List.of(number(offset), number(offset + bytes))));
            members.put(e.getKey(), new Json.Obj(entry));
            offset += bytes;
        }
        this.dataBytes = offset;

        byte[] json = JsonWriter.write(new Json.Obj(members)).getBytes(StandardCharsets.UTF_8);
        // Pad with spaces (valid JSON whitespace) so the data begins 8-byte aligned: the file
        // starts with the 8-byte length, so the header length itself must be a multiple of 8.
        int padded = (json.length + 7) & ~7;
        this.header = Arrays.copyOf(json, padded);
        Arrays.fill(this.header, json.length, padded, (byte) ' ');
    }

    /** Size of the whole file in bytes. */
    long fileSize() {
        return 8L + header.length + dataBytes;
    }

    void writeTo(WritableByteChannel out) throws IOException {
        ByteBuffer prefix = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
        prefix.putLong(header.length).put(header).flip();
        writeFully(out, prefix);
        ByteBuffer chunk = ByteBuffer.allocate(4 * CHUNK_FLOATS).order(ByteOrder.LITTLE_ENDIAN);
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            float[] values = e.getValue().toFloatArray(); // row-major, whatever the tensor's strides
            if (int64.contains(e.getKey())) {
                ByteBuffer longs = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : values) longs.putLong((long) v);
                writeFully(out, longs.flip());
                continue;
            }
            for (int done = 0; done < values.length; ) {
                int n = Math.min(CHUNK_FLOATS, values.length - done);
                chunk.clear();
                // putFloat writes the raw bits, so NaN payloads survive the round trip.
                chunk.asFloatBuffer().put(values, done, n);
                chunk.limit(4 * n);
                writeFully(out, chunk);
                done += n;
            }
        }
    }

    private static void writeFully(WritableByteChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) out.write(buffer);
    }

    private static Json number(long v) {
        return new Json.Num(Long.toString(v));
    }

    /** Rejects text that UTF-8 cannot encode (lone surrogates), which would otherwise turn into '?'. */
    private static void checkText(String s, String what) {
        if (s == null) throw new IllegalArgumentException("safetensors write: a " + what + " is null");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("safetensors write: " + what + " \"" + JsonWriter.escape(s) + "\" has a lone surrogate at index " + i + "; it cannot be encoded as UTF-8");
            }
        }
    }
}
