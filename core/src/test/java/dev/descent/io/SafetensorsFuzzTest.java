package dev.descent.io;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.descent.tensor.Tensor;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random damage to valid files (truncations, byte flips, bit flips, edits of the length
 * field) must only ever end in a clean {@link MalformedFileException} or a successful read:
 * never an IndexOutOfBounds, NegativeArraySize, OutOfMemory or any other exception.
 */
class SafetensorsFuzzTest {
    private static final int ROUNDS = 4000;
    @TempDir Path dir;

    private static List<byte[]> validFiles() throws Exception {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("weight", Tensor.arange(12).reshape(3, 4));
        tensors.put("bias", Tensor.vector(1, 2, 3));
        tensors.put("scalar", Tensor.scalar(5f));
        tensors.put("empty", Tensor.zeros(0, 2));
        byte[] written = Safetensors.toBytes(tensors, Map.of("format", "pt", "step", "100"));

        // Mixed dtypes, so flips also land in F16, I64 and BOOL data and in their header entries.
        ByteBuffer data = ByteBuffer.allocate(2 * 3 + 8 * 2 + 4).order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) 0x3C00).putShort((short) 0x4000).putShort((short) 0x4200)
                .putLong(-7).putLong(1L << 40)
                .put((byte) 1).put((byte) 0).put((byte) 1).put((byte) 1);
        String header = "{\"__metadata__\":{\"k\":\"v\\u00e9\"},"
                + RawSafetensors.entry("h", "F16", "[3]", 0, 6) + ","
                + RawSafetensors.entry("i", "I64", "[2,1]", 6, 22) + ","
                + RawSafetensors.entry("b", "BOOL", "[2,2]", 22, 26) + "}";
        byte[] mixed = RawSafetensors.of(header, data.array());

        byte[] reference;
        try (InputStream in = SafetensorsFuzzTest.class.getResourceAsStream("/reference/e2e/sgd_momentum.init.safetensors")) {
            reference = in.readAllBytes();
        }
        return List.of(written, mixed, reference);
    }

    @Test
    void damagedFilesOnlyEverThrowMalformedFileException() throws Exception {
        List<byte[]> bases = validFiles();
        for (byte[] base : bases) Safetensors.fromBytes(base, "base"); // the undamaged files are valid
        Random random = new Random(20261123);
        int rejected = 0, accepted = 0;
        for (int round = 0; round < ROUNDS; round++) {
            byte[] base = bases.get(round % bases.size());
            byte[] damaged = damage(base, random);
            try {
                if (round % 100 == 0) {
                    // Also through the file reader, which reads via a FileChannel, not a buffer.
                    Path file = dir.resolve("fuzz" + round + ".safetensors");
                    Files.write(file, damaged);
                    Safetensors.read(file);
                } else {
                    Safetensors.fromBytes(damaged, "fuzz");
                }
                accepted++;
            } catch (MalformedFileException e) {
                assertTrue(!e.getMessage().contains("\n") && e.getMessage().length() < 1000, "one short line: " + e.getMessage());
                rejected++;
            } catch (Throwable t) {
                fail("round " + round + ": " + t + " for bytes " + Arrays.toString(Arrays.copyOf(damaged, Math.min(damaged.length, 400))), t);
            }
        }
        // Both outcomes occur: damage in the data section leaves a valid file, in the header it does not.
        assertTrue(rejected > ROUNDS / 4, "rejected " + rejected);
        assertTrue(accepted > 0, "accepted " + accepted);
    }

    private static byte[] damage(byte[] base, Random random) {
        int headerEnd = (int) Math.min(base.length, 8 + ByteBuffer.wrap(base).order(ByteOrder.LITTLE_ENDIAN).getLong(0));
        switch (random.nextInt(5)) {
            case 0 -> { // truncate anywhere
                return Arrays.copyOf(base, random.nextInt(base.length));
            }
            case 1 -> { // a few random bytes, mostly in the header where they matter
                byte[] b = base.clone();
                int flips = 1 + random.nextInt(4);
                for (int i = 0; i < flips; i++) {
                    int at = random.nextInt(10) < 8 ? random.nextInt(headerEnd) : random.nextInt(b.length);
                    b[at] = (byte) random.nextInt(256);
                }
                return b;
            }
            case 2 -> { // single bit flip anywhere
                byte[] b = base.clone();
                int at = random.nextInt(b.length);
                b[at] ^= (byte) (1 << random.nextInt(8));
                return b;
            }
            case 3 -> { // a digit in the header replaced by another: offsets and shapes go wrong plausibly
                byte[] b = base.clone();
                for (int tries = 0; tries < 50; tries++) {
                    int at = 8 + random.nextInt(Math.max(1, headerEnd - 8));
                    if (at < b.length && b[at] >= '0' && b[at] <= '9') {
                        b[at] = (byte) ('0' + random.nextInt(10));
                        break;
                    }
                }
                return b;
            }
            default -> { // the length field: random value, or off by a little
                byte[] b = base.clone();
                ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                long length = bb.getLong(0);
                bb.putLong(0, random.nextBoolean() ? random.nextLong() : length + random.nextInt(17) - 8);
                return b;
            }
        }
    }
}
