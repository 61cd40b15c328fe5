package dev.descent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir Path dir;

    private static byte[] idx(int rank, int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x0800 | rank);
        for (int d : dims) out.writeInt(d);
        out.write(data);
        return bytes.toByteArray();
    }

    private Path file(String name, byte[] content, boolean gzip) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
            out.write(content);
        }
        return p;
    }

    @Test
    void readsImagesScaledAndLabels() throws IOException {
        byte[] pixels = new byte[2 * 2 * 3];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) (i * 23);
        Path images = file("img.gz", idx(3, new int[] {2, 2, 3}, pixels), true);
        Path labels = file("lab", idx(1, new int[] {2}, new byte[] {7, (byte) 200}), false);
        TensorDataset d = Idx.read(images, labels);
        assertArrayEquals(new int[] {2, 1, 2, 3}, d.features().shape());
        float[] x = d.features().toFloatArray();
        for (int i = 0; i < x.length; i++) assertEquals(((i * 23) & 0xff) / 255f, x[i]);
        assertArrayEquals(new float[] {7, 200}, d.targets().toFloatArray());
    }

    @Test
    void rejectsBadMagicWrongRankTruncationAndMismatch() throws IOException {
        byte[] good = idx(3, new int[] {2, 2, 2}, new byte[8]);
        byte[] badMagic = good.clone();
        badMagic[2] = 0x09;
        var m = assertThrows(DataException.class, () -> Idx.readImages(file("m", badMagic, false)));
        assertTrue(m.getMessage().contains("magic"), m.getMessage());

        var r = assertThrows(DataException.class, () -> Idx.readLabels(file("r", good, false)));
        assertTrue(r.getMessage().contains("rank 3"), r.getMessage());

        Path cut = file("cut.gz", Arrays.copyOf(good, good.length - 3), true);
        var t = assertThrows(DataException.class, () -> Idx.readImages(cut));
        assertTrue(t.getMessage().contains("cut.gz") && t.getMessage().contains("truncated at byte 21"), t.getMessage());

        var h = assertThrows(DataException.class, () -> Idx.readImages(file("h", Arrays.copyOf(good, 6), false)));
        assertTrue(h.getMessage().contains("truncated at byte 4"), h.getMessage());

        Path labels = file("l", idx(1, new int[] {3}, new byte[3]), false);
        var c = assertThrows(DataException.class, () -> Idx.read(file("g", good, false), labels));
        assertTrue(c.getMessage().contains("2 images") && c.getMessage().contains("3 labels"), c.getMessage());

        var missing = assertThrows(DataException.class, () -> Idx.readImages(dir.resolve("absent.gz")));
        assertTrue(missing.getMessage().contains("absent.gz") && missing.getMessage().contains("not found"), missing.getMessage());
    }

    /**
     * A gzipped file whose CRC-32 does not match its data (what {@code gzip -t} calls a crc error)
     * is refused. The data is larger than the reader's 64 KiB buffers, so the check has to come
     * from reading the stream to its end, not from a buffer fill that happened to reach the trailer.
     */
    @Test
    void rejectsGzipWithBadCrc() throws IOException {
        byte[] pixels = new byte[100 * 28 * 28];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) (i * 31 + i / 7);
        Path good = file("good.gz", idx(3, new int[] {100, 28, 28}, pixels), true);
        assertEquals(100, Idx.readImages(good).size(0));
        byte[] gz = Files.readAllBytes(good);
        gz[gz.length - 8] ^= 0x01;   // the trailer: CRC-32 (4 bytes, little-endian), then the length
        Path bad = dir.resolve("crc.gz");
        Files.write(bad, gz);
        var e = assertThrows(DataException.class, () -> Idx.readImages(bad));
        assertTrue(e.getMessage().startsWith(bad + ": corrupt gzip data") && !e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void rejectsBytesAfterTheData() throws IOException {
        byte[] withExtra = idx(1, new int[] {3}, new byte[] {1, 2, 3, 4, 5});
        var e = assertThrows(DataException.class, () -> Idx.readLabels(file("extra", withExtra, false)));
        assertTrue(e.getMessage().contains("byte 11: 2 bytes after the 3 values"), e.getMessage());
    }

    /** A header that promises two billion values on a file of a few bytes is a truncation, not an allocation of gigabytes. */
    @Test
    void forgedSizeIsATruncationNotAnAllocation() throws IOException {
        byte[] forged = idx(1, new int[] {Integer.MAX_VALUE - 16}, new byte[] {1, 2});
        var e = assertThrows(DataException.class, () -> Idx.readLabels(file("forged", forged, false)));
        assertTrue(e.getMessage().contains("truncated at byte 10"), e.getMessage());
    }

    /** Three sizes of 2^21 overflow a long product to a negative count; the reader refuses them at the size that goes too far (IdxFuzzTest's first finding). */
    @Test
    void sizesWhoseProductOverflowsAreRefused() throws IOException {
        byte[] forged = idx(3, new int[] {1 << 21, 1 << 21, 1 << 21}, new byte[] {1});   // 2^63: a negative long
        var e = assertThrows(DataException.class, () -> Idx.readImages(file("overflow", forged, false)));
        assertTrue(e.getMessage().contains("byte 8: the sizes promise more than"), e.getMessage());
    }
}
