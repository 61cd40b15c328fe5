package dev.descent.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.tensor.Tensor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of damage gets its own one-line message naming the file and the problem. */
class MalformedSafetensorsTest {
    @TempDir Path dir;

    private static String error(byte[] file) {
        var e = assertThrows(MalformedFileException.class, () -> Safetensors.fromBytes(file, "bad.safetensors"));
        assertEquals("bad.safetensors", e.source());
        assertTrue(e.getMessage().startsWith("bad.safetensors: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage().substring("bad.safetensors: ".length());
    }

    private static String error(String header, byte[] data) {
        return error(RawSafetensors.of(header, data));
    }

    private static String one(String dtype, String shape, long begin, long end) {
        return "{" + RawSafetensors.entry("w", dtype, shape, begin, end) + "}";
    }

    @Test
    void fileShorterThanTheLengthField() {
        assertEquals("file is 5 bytes, too short for the 8-byte header length", error(new byte[5]));
    }

    @Test
    void headerLengthLargerThanTheFile() {
        byte[] header = "{}".getBytes(StandardCharsets.UTF_8);
        assertEquals("header length 1000 is larger than the rest of the file (2 bytes)", error(RawSafetensors.withLength(1000, header, new byte[0])));
    }

    @Test
    void absurdHeaderLength() {
        byte[] header = "{}".getBytes(StandardCharsets.UTF_8);
        assertEquals("header length 100000001 is absurd (limit 100000000 bytes)", error(RawSafetensors.withLength(100_000_001, header, new byte[0])));
        // 2^64 - 1 is unsigned in the format: said as such, not as -1.
        assertEquals("header length 18446744073709551615 is absurd (limit 100000000 bytes)", error(RawSafetensors.withLength(-1, header, new byte[0])));
    }

    @Test
    void invalidJsonNamesTheCharacterOffset() {
        assertEquals("invalid JSON in header: expected ':' after object key, found '1' at character 5 of the header", error("{\"a\" 1}", new byte[0]));
        assertEquals("invalid JSON in header: expected a string key, found '}' at character 20 of the header", error("{\"a\":{\"dtype\":\"F32\",}}", new byte[0]));
        assertEquals("invalid JSON in header: unterminated string at character 1 of the header", error("{\"abc", new byte[0]));
    }

    @Test
    void headerThatIsNotAnObject() {
        assertEquals("header does not start with '{'", error("[1,2]", new byte[0]));
        assertEquals("header does not start with '{'", error(" {}", new byte[0]));
        assertEquals("header does not start with '{'", error("", new byte[0]));
    }

    @Test
    void headerThatIsNotUtf8() {
        byte[] header = {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
        assertEquals("header is not valid UTF-8 at byte 2 of the header", error(RawSafetensors.withLength(header.length, header, new byte[0])));
    }

    @Test
    void dataOffsetsOutsideTheDataSection() {
        assertEquals("tensor \"w\": data_offsets [0, 8] outside the data section (4 bytes)", error(one("F32", "[2]", 0, 8), new byte[4]));
    }

    @Test
    void dataOffsetsEndBeforeBegin() {
        assertEquals("tensor \"w\": data_offsets [8, 4] end before begin", error(one("F32", "[1]", 8, 4), new byte[8]));
    }

    @Test
    void negativeDataOffsets() {
        assertEquals("tensor \"w\": negative data_offsets [-4, 0]", error(one("F32", "[1]", -4, 0), new byte[4]));
    }

    @Test
    void overlappingTensors() {
        String header = "{" + RawSafetensors.entry("a", "F32", "[2]", 0, 8) + "," + RawSafetensors.entry("b", "F32", "[2]", 4, 12) + "}";
        assertEquals("tensor \"b\" data_offsets [4, 12] overlap tensor \"a\" [0, 8]", error(header, new byte[12]));
    }

    @Test
    void gapBetweenTensors() {
        String header = "{" + RawSafetensors.entry("a", "F32", "[1]", 0, 4) + "," + RawSafetensors.entry("b", "F32", "[1]", 8, 12) + "}";
        assertEquals("gap in the data section: bytes [4, 8) belong to no tensor (next is tensor \"b\")", error(header, new byte[12]));
    }

    @Test
    void trailingBytesAfterTheLastTensor() {
        assertEquals("the data section has 6 bytes but the tensors cover only 4 (trailing bytes, or a header that does not match the file)",
                error(one("F32", "[1]", 0, 4), new byte[6]));
    }

    @Test
    void byteCountDisagreesWithShapeTimesDtypeSize() {
        assertEquals("tensor \"w\": data_offsets [0, 96] hold 96 bytes but shape [5, 5] of F32 needs 100", error(one("F32", "[5,5]", 0, 96), new byte[96]));
        assertEquals("tensor \"w\": data_offsets [0, 4] hold 4 bytes but shape [4] of F16 needs 8", error(one("F16", "[4]", 0, 4), new byte[4]));
    }

    @Test
    void unknownDtype() {
        String message = error(one("F8_E4M3", "[4]", 0, 4), new byte[4]);
        assertTrue(message.startsWith("tensor \"w\": unknown or unsupported dtype \"F8_E4M3\" (Descent reads F32, F64, F16, BF16,"), message);
        assertTrue(error(one("f32", "[1]", 0, 4), new byte[4]).contains("dtype \"f32\""), "dtype names are case-sensitive");
    }

    @Test
    void negativeShape() {
        assertEquals("tensor \"w\": negative shape dimension -2 at index 1", error(one("F32", "[2,-2]", 0, 16), new byte[16]));
    }

    @Test
    void shapeTooLargeForAJavaArray() {
        // 2^32 bytes of U8: consistent offsets would need a 4 GB file; the element count is checked first.
        assertEquals("tensor \"w\": shape [65536, 65536] has more elements than a Java array can hold", error(one("U8", "[65536,65536]", 0, 4), new byte[4]));
        assertEquals("tensor \"w\": shape dimension 99999999999 is too large for a Descent tensor", error(one("U8", "[99999999999]", 0, 4), new byte[4]));
    }

    @Test
    void missingOrMistypedFields() {
        assertEquals("tensor \"w\": \"dtype\" is missing", error("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]));
        assertEquals("tensor \"w\": \"shape\" is a JSON number, not an array", error("{\"w\":{\"dtype\":\"F32\",\"shape\":1,\"data_offsets\":[0,4]}}", new byte[4]));
        assertEquals("tensor \"w\": data_offsets has 3 entries, not 2 [begin, end]", error("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", new byte[4]));
        assertEquals("tensor \"w\": shape dimension 0 is 1.5, not an integer", error(one("F32", "[1.5]", 0, 4), new byte[4]));
        assertEquals("tensor \"w\": shape dimension 0 is 1e2, not an integer", error(one("F32", "[1e2]", 0, 4), new byte[4]));
        assertEquals("tensor \"w\": data_offsets end is 99999999999999999999, too large",
                error("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,99999999999999999999]}}", new byte[4]));
        assertEquals("tensor \"w\" is a JSON array, not an object", error("{\"w\":[]}", new byte[0]));
        String huge = "9".repeat(1_000_000);
        assertEquals("tensor \"w\": shape dimension 0 is 99999999999999999999... (1000000 characters), too large", error(one("U8", "[" + huge + "]", 0, 4), new byte[4]));
    }

    @Test
    void metadataMustMapStringsToStrings() {
        assertEquals("__metadata__ entry \"epoch\" is a JSON number, not a string", error("{\"__metadata__\":{\"epoch\":3}}", new byte[0]));
        assertEquals("__metadata__ is a JSON array, not an object of strings", error("{\"__metadata__\":[]}", new byte[0]));
    }

    @Test
    void duplicateTensorNamesAreRejected() {
        String entry = RawSafetensors.entry("w", "F32", "[1]", 0, 4);
        int second = 1 + entry.length() + 1; // where the second "w" starts
        assertEquals("invalid JSON in header: duplicate key \"w\" at character " + second + " of the header", error("{" + entry + "," + entry + "}", new byte[4]));
    }

    @Test
    void truncatedFileOnDiskNamesThePath() throws Exception {
        Path file = dir.resolve("cut.safetensors");
        byte[] good = Safetensors.toBytes(Map.of("w", Tensor.vector(1, 2, 3)), null);
        Files.write(file, Arrays.copyOf(good, good.length - 1));
        var e = assertThrows(MalformedFileException.class, () -> Safetensors.read(file));
        assertEquals(file + ": tensor \"w\": data_offsets [0, 12] outside the data section (11 bytes)", e.getMessage());
    }
}
