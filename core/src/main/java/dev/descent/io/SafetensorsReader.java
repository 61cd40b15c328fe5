package dev.descent.io;

import dev.descent.tensor.Tensor;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a safetensors file: validates the whole header (every offset, size and dtype) before it
 * allocates any tensor, so that a damaged file is rejected with a {@link MalformedFileException}
 * and never causes a read past the data or a huge allocation. See {@link Safetensors} for the
 * format.
 */
final class SafetensorsReader {
    /** The reference implementation's limit; a larger header is damage, not a model. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    /** Largest Java array the JVM reliably allocates. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    /** Bytes decoded per read, so a large tensor streams through a small buffer. */
    private static final int CHUNK_BYTES = 1 << 20;

    /** One validated header entry. */
    private record Entry(String name, SafetensorsDType dtype, int[] shape, long begin, long end) {}

    private final ByteSource source;
    private final String name;

    private SafetensorsReader(ByteSource source, String name) {
        this.source = source;
        this.name = name;
    }

    static SafetensorsFile read(ByteSource source, String name) throws IOException {
        return new SafetensorsReader(source, name).read();
    }

    private SafetensorsFile read() throws IOException {
        long size = source.size();
        if (size < 8) throw bad("file is " + size + " bytes, too short for the 8-byte header length");
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        source.readFully(0, lengthBytes);
        long headerLength = lengthBytes.getLong(0); // unsigned in the format: >= 2^63 reads negative
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw bad("header length " + Long.toUnsignedString(headerLength) + " is absurd (limit " + MAX_HEADER_BYTES + " bytes)");
        }
        if (headerLength > size - 8) {
            throw bad("header length " + headerLength + " is larger than the rest of the file (" + (size - 8) + " bytes)");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        source.readFully(8, headerBytes);
        headerBytes.flip();
        long dataStart = 8 + headerLength;
        long dataSize = size - dataStart;

        Json.Obj header = parseHeader(headerBytes);
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, Json> m : header.members().entrySet()) {
            if (m.getKey().equals("__metadata__")) {
                readMetadata(m.getValue(), metadata);
            } else {
                entries.add(entry(m.getKey(), m.getValue(), dataSize));
            }
        }
        checkLayout(entries, dataSize);

        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> dtypes = new LinkedHashMap<>();
        for (Entry e : entries) {
            tensors.put(e.name(), load(e, dataStart));
            dtypes.put(e.name(), e.dtype().name());
        }
        return new SafetensorsFile(name, tensors, metadata, dtypes);
    }

    private Json.Obj parseHeader(ByteBuffer bytes) throws MalformedFileException {
        if (!bytes.hasRemaining() || bytes.get(0) != '{') throw bad("header does not start with '{'");
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer chars = CharBuffer.allocate(bytes.remaining());
        CoderResult r = decoder.decode(bytes, chars, true);
        if (r.isError()) throw bad("header is not valid UTF-8 at byte " + bytes.position() + " of the header");
        decoder.flush(chars);
        chars.flip();
        Json json;
        try {
            json = JsonReader.parse(chars.toString());
        } catch (JsonSyntaxException e) {
            throw bad("invalid JSON in header: " + e.getMessage() + " of the header");
        }
        if (!(json instanceof Json.Obj obj)) throw bad("header is a JSON " + Json.kind(json) + ", not an object");
        return obj;
    }

    private void readMetadata(Json value, Map<String, String> out) throws MalformedFileException {
        if (!(value instanceof Json.Obj obj)) throw bad("__metadata__ is a JSON " + Json.kind(value) + ", not an object of strings");
        for (Map.Entry<String, Json> m : obj.members().entrySet()) {
            if (!(m.getValue() instanceof Json.Str s)) {
                throw bad("__metadata__ entry \"" + JsonWriter.escape(m.getKey()) + "\" is a JSON " + Json.kind(m.getValue()) + ", not a string");
            }
            out.put(m.getKey(), s.value());
        }
    }

    private Entry entry(String tensor, Json value, long dataSize) throws MalformedFileException {
        String what = "tensor \"" + JsonWriter.escape(tensor) + "\"";
        if (!(value instanceof Json.Obj obj)) throw bad(what + " is a JSON " + Json.kind(value) + ", not an object");
        Map<String, Json> fields = obj.members();

        if (!(fields.get("dtype") instanceof Json.Str dtypeName)) throw bad(what + ": \"dtype\" " + missingOrKind(fields.get("dtype"), "a string"));
        SafetensorsDType dtype = SafetensorsDType.byName(dtypeName.value());
        if (dtype == null) {
            throw bad(what + ": unknown or unsupported dtype \"" + JsonWriter.escape(dtypeName.value()) + "\" (Descent reads " + SafetensorsDType.supportedNames() + ")");
        }

        if (!(fields.get("shape") instanceof Json.Arr shapeJson)) throw bad(what + ": \"shape\" " + missingOrKind(fields.get("shape"), "an array"));
        int[] shape = new int[shapeJson.elements().size()];
        long numel = 1;
        for (int k = 0; k < shape.length; k++) {
            long d = integer(shapeJson.elements().get(k), what + ": shape dimension " + k);
            if (d < 0) throw bad(what + ": negative shape dimension " + d + " at index " + k);
            if (d > MAX_ELEMENTS) throw bad(what + ": shape dimension " + d + " is too large for a Descent tensor");
            shape[k] = (int) d;
            // Dimensions are < 2^31 each; once numel passes MAX_ELEMENTS the tensor is rejected
            // below anyway, so cap it to keep the product from overflowing a long.
            // (A later zero dimension still makes the product 0, as it should.)
            numel = Math.min(numel * d, MAX_ELEMENTS + 1);
        }
        if (numel > MAX_ELEMENTS) throw bad(what + ": shape " + format(shape) + " has more elements than a Java array can hold");

        if (!(fields.get("data_offsets") instanceof Json.Arr offsets)) throw bad(what + ": \"data_offsets\" " + missingOrKind(fields.get("data_offsets"), "an array"));
        if (offsets.elements().size() != 2) throw bad(what + ": data_offsets has " + offsets.elements().size() + " entries, not 2 [begin, end]");
        long begin = integer(offsets.elements().get(0), what + ": data_offsets begin");
        long end = integer(offsets.elements().get(1), what + ": data_offsets end");
        String range = "data_offsets [" + begin + ", " + end + "]";
        if (begin < 0 || end < 0) throw bad(what + ": negative " + range);
        if (end < begin) throw bad(what + ": " + range + " end before begin");
        if (end > dataSize) throw bad(what + ": " + range + " outside the data section (" + dataSize + " bytes)");
        long bytes = numel * dtype.size; // < 2^31 * 8, no overflow
        if (end - begin != bytes) {
            throw bad(what + ": " + range + " hold " + (end - begin) + " bytes but shape " + format(shape) + " of " + dtype + " needs " + bytes);
        }
        return new Entry(tensor, dtype, shape, begin, end);
    }

    /** Tensors must tile the data section exactly, as the reference implementation requires. */
    private void checkLayout(List<Entry> entries, long dataSize) throws MalformedFileException {
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        Entry previous = null;
        for (Entry e : byOffset) {
            if (e.begin() < expected) {
                throw bad("tensor \"" + JsonWriter.escape(e.name()) + "\" data_offsets [" + e.begin() + ", " + e.end() + "] overlap tensor \""
                        + JsonWriter.escape(previous.name()) + "\" [" + previous.begin() + ", " + previous.end() + "]");
            }
            if (e.begin() > expected) {
                throw bad("gap in the data section: bytes [" + expected + ", " + e.begin() + ") belong to no tensor (next is tensor \"" + JsonWriter.escape(e.name()) + "\")");
            }
            expected = e.end();
            previous = e;
        }
        if (expected != dataSize) {
            throw bad("the data section has " + dataSize + " bytes but the tensors cover only " + expected + " (trailing bytes, or a header that does not match the file)");
        }
    }

    private Tensor load(Entry e, long dataStart) throws IOException {
        int numel = Math.toIntExact((e.end() - e.begin()) / e.dtype().size);
        float[] values = new float[numel];
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, e.end() - e.begin())).order(ByteOrder.LITTLE_ENDIAN);
        int perChunk = chunk.capacity() / e.dtype().size;
        for (int done = 0; done < numel; ) {
            int n = Math.min(perChunk, numel - done);
            chunk.clear().limit(n * e.dtype().size);
            source.readFully(dataStart + e.begin() + (long) done * e.dtype().size, chunk);
            chunk.flip();
            int bad = e.dtype().decode(chunk, values, done, n);
            if (bad >= 0) {
                throw bad("tensor \"" + JsonWriter.escape(e.name()) + "\": element " + (done + bad) + " of BOOL data is neither 0 nor 1");
            }
            done += n;
        }
        return Tensor.of(values, e.shape());
    }

    /** The value of a JSON integer that fits a long; fractions, exponents and non-numbers are errors. */
    private long integer(Json value, String what) throws MalformedFileException {
        if (!(value instanceof Json.Num num)) throw bad(what + " is a JSON " + Json.kind(value) + ", not an integer");
        String text = num.text();
        if (text.indexOf('.') >= 0 || text.indexOf('e') >= 0 || text.indexOf('E') >= 0) throw bad(what + " is " + text + ", not an integer");
        // Decide "too large" from the digit count first: BigInteger parsing of a hostile
        // megabyte-long number would be slow, and no valid value has more than 19 digits.
        int digits = text.length() - (text.startsWith("-") ? 1 : 0);
        if (digits > 19 || new BigInteger(text).bitLength() > 63) throw bad(what + " is " + abbreviate(text) + ", too large");
        return Long.parseLong(text);
    }

    private static String abbreviate(String number) {
        return number.length() <= 40 ? number : number.substring(0, 20) + "..." + " (" + number.length() + " characters)";
    }

    private static String missingOrKind(Json value, String expected) {
        return value == null ? "is missing" : "is a JSON " + Json.kind(value) + ", not " + expected;
    }

    private static String format(int[] shape) {
        return java.util.Arrays.toString(shape);
    }

    private MalformedFileException bad(String problem) {
        return new MalformedFileException(name, problem);
    }
}
