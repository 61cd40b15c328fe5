package dev.descent.data;

import dev.descent.tensor.Tensor;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST (LeCun et al.), gzipped or not (detected by the
 * gzip magic bytes 1f 8b). A file starts with a big-endian magic number 0x00 0x00 type rank
 * (type 0x08 = unsigned byte), then one 32-bit big-endian size per dimension, then the data.
 * Images (rank 3) arrive as [N, 1, rows, cols] float32 scaled to [0, 1]; labels (rank 1) as [N].
 * Every inconsistency is reported with the file and the byte offset of the uncompressed stream.
 *
 * <p>The stream is always read to its end: bytes after the data the header promises are an
 * error, and for a gzipped file reaching the end is what makes {@link GZIPInputStream} check the
 * trailer's CRC-32 and length, so a file that {@code gzip -t} rejects is never used.
 */
public final class Idx {
    private static final int UNSIGNED_BYTE = 0x08;

    private Idx() {}

    /** Images as [N, 1, rows, cols] in [0, 1]. */
    public static Tensor readImages(Path path) {
        return read(path, 3);
    }

    /** Labels as [N] whole numbers. */
    public static Tensor readLabels(Path path) {
        return read(path, 1);
    }

    /** Images and labels checked to have the same count. */
    public static TensorDataset read(Path images, Path labels) {
        Tensor x = readImages(images), y = readLabels(labels);
        if (x.size(0) != y.size(0)) {
            throw new DataException(images + " has " + x.size(0) + " images but " + labels + " has " + y.size(0) + " labels");
        }
        return new TensorDataset(x, y);
    }

    private static Tensor read(Path path, int expectedRank) {
        try (InputStream in = Files.newInputStream(path)) {
            return read(in, path.toString(), expectedRank);
        } catch (NoSuchFileException e) {
            throw new DataException(path + ": file not found");
        } catch (IOException e) {
            throw new DataException(path + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * An IDX file's contents from a stream (gzipped or not), read to its end; {@code source} names
     * it in messages. Rank 3 gives images as {@link #readImages(Path)} does, rank 1 labels.
     *
     * @throws DataException on anything that is not a whole, consistent IDX file of that rank
     */
    public static Tensor read(InputStream stream, String source, int expectedRank) {
        if (expectedRank != 1 && expectedRank != 3) throw new IllegalArgumentException("IDX rank 1 (labels) or 3 (images), got " + expectedRank);
        try {
            InputStream raw = new BufferedInputStream(stream, 1 << 16);
            raw.mark(2);
            int b0 = raw.read(), b1 = raw.read();
            raw.reset();
            InputStream in = b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
            return parse(new DataInputStream(in), source, expectedRank);
        } catch (java.util.zip.ZipException e) {
            throw new DataException(source + ": corrupt gzip data (" + e.getMessage() + ")");
        } catch (EOFException e) {
            throw new DataException(source + ": truncated (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new DataException(source + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static Tensor parse(DataInputStream in, String source, int expectedRank) throws IOException {
        int magic = readInt(in, source, 0, "magic number");
        int type = (magic >>> 8) & 0xff, rank = magic & 0xff;
        if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE) {
            throw new DataException(source + ": byte 0: bad magic number 0x" + String.format("%08x", magic)
                    + " (expected 0x000008" + String.format("%02x", expectedRank) + ", unsigned-byte IDX)");
        }
        if (rank != expectedRank) {
            throw new DataException(source + ": byte 3: rank " + rank + ", expected " + expectedRank
                    + (expectedRank == 3 ? " (an images file)" : " (a labels file)"));
        }
        int[] dims = new int[rank];
        long total = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = readInt(in, source, 4 + 4 * i, "size of dimension " + i);
            if (dims[i] < 0) throw new DataException(source + ": byte " + (4 + 4 * i) + ": negative size " + dims[i]);
            total *= dims[i];
            // Checked after every factor: three sizes near 2^31 would overflow the long (found by IdxFuzzTest).
            if (total > Integer.MAX_VALUE - 8) {
                throw new DataException(source + ": byte " + (4 + 4 * i) + ": the sizes promise more than " + (Integer.MAX_VALUE - 8) + " values");
            }
        }
        long dataStart = 4 + 4L * rank;
        // readNBytes(n) grows its buffer with what arrives, so a forged size costs no memory up front.
        byte[] bytes = in.readNBytes((int) total);
        if (bytes.length < total) {
            throw new DataException(source + ": truncated at byte " + (dataStart + bytes.length) + ": header promises " + total
                    + " values, the file has " + bytes.length);
        }
        long extra = in.transferTo(OutputStream.nullOutputStream());
        if (extra > 0) {
            throw new DataException(source + ": byte " + (dataStart + total) + ": " + extra + " bytes after the " + total
                    + " values the header promises");
        }
        float[] v = new float[bytes.length];
        // Divide (not multiply by 1/255) to get the same floats as torchvision's ToTensor.
        float divisor = rank == 3 ? 255f : 1f;
        for (int i = 0; i < v.length; i++) v[i] = (bytes[i] & 0xff) / divisor;
        return rank == 3 ? Tensor.of(v, dims[0], 1, dims[1], dims[2]) : Tensor.of(v, dims[0]);
    }

    private static int readInt(DataInputStream in, String source, long offset, String what) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new DataException(source + ": truncated at byte " + offset + " while reading the " + what);
        }
    }
}
