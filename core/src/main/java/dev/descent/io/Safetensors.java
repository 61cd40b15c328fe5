package dev.descent.io;

import dev.descent.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a>
 * format, the tensor file format of Hugging Face and PyTorch checkpoints.
 *
 * <h2>The format</h2>
 * <pre>
 * bytes 0..7      N, the header length: unsigned 64-bit little-endian
 * bytes 8..8+N    the header: UTF-8 JSON, an object
 *                   {"fc.weight": {"dtype": "F32", "shape": [10, 32], "data_offsets": [0, 1280]},
 *                    ...,
 *                    "__metadata__": {"format": "pt"}}      (optional, string to string)
 *                 possibly followed by spaces (padding)
 * bytes 8+N..     the data section: each tensor's elements, row-major, little-endian, at
 *                 [begin, end) counted from the start of the data section
 * </pre>
 *
 * <h2>Reading</h2>
 * {@link #read(Path)} validates the whole header before it allocates any tensor, and rejects,
 * with a one-line {@link MalformedFileException} that names the file and the problem: a header
 * length beyond the file or above 100 MB; a header that is not UTF-8 or not strict JSON (the
 * message gives the character offset); a missing or mistyped field; an unknown dtype; a negative
 * shape dimension; {@code data_offsets} with end before begin, outside the data section, or
 * holding a byte count other than shape times element size; and tensors that overlap, leave gaps
 * or leave trailing bytes (the reference implementation rejects all three). It never reads past
 * the data it was given.
 *
 * <p>Every tensor becomes float32. F32, F16, BF16, I16, I8, U16, U8 and BOOL (0 or 1; any other
 * byte is rejected) convert exactly; F64 is rounded to the nearest float32 (overflowing to
 * infinity); I64, I32, U64 and U32 are rounded to the nearest float32 (exact up to 2^24 in
 * magnitude). Tensors come back in the order of the header.
 *
 * <h2>Writing</h2>
 * {@link #write(Path, Map, Map)} writes float32 tensors as F32 (and those named as counts as I64), laid out as the reference
 * implementation lays out float32 tensors, so that {@code safetensors.torch.load_file} reads them:
 * tensors sorted by name ({@link String#compareTo}), data contiguous in that order with no gaps,
 * the header padded with spaces to a multiple of 8 bytes so the data is 8-byte aligned, metadata
 * (if any) first in the header with its keys sorted. The same tensors always give the same bytes.
 * The file is replaced atomically: a crash leaves either the old file or the new one.
 */
public final class Safetensors {
    private Safetensors() {}

    /**
     * Reads a safetensors file.
     *
     * @throws MalformedFileException when the file is not valid safetensors (message names the file)
     * @throws IOException            when the file cannot be read
     */
    public static SafetensorsFile read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return SafetensorsReader.read(ByteSource.of(ch, file.toString()), file.toString());
        }
    }

    /**
     * Reads safetensors data held in memory, such as a jar resource.
     *
     * @param sourceName names the data in error messages
     * @throws MalformedFileException when the bytes are not valid safetensors
     */
    public static SafetensorsFile fromBytes(byte[] bytes, String sourceName) throws MalformedFileException {
        return fromBytes(ByteBuffer.wrap(bytes), sourceName);
    }

    /**
     * Reads safetensors data from the bytes between the buffer's position and limit; the buffer's
     * position, limit and byte order are left as they were.
     *
     * @param sourceName names the data in error messages
     * @throws MalformedFileException when the bytes are not valid safetensors
     */
    public static SafetensorsFile fromBytes(ByteBuffer bytes, String sourceName) throws MalformedFileException {
        try {
            return SafetensorsReader.read(ByteSource.of(bytes), sourceName);
        } catch (MalformedFileException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("reading from memory cannot fail with I/O", e); // unreachable
        }
    }

    /**
     * Writes float32 tensors and string metadata (null or empty for none) to {@code file},
     * atomically replacing any existing file.
     *
     * @throws IllegalArgumentException when a tensor is not float32, a name is null or
     *                                  {@code "__metadata__"}, or a string cannot be UTF-8 encoded
     * @throws IOException              when the file cannot be written; the old file is then untouched
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        write(file, tensors, metadata, Set.of());
    }

    /**
     * As {@link #write(Path, Map, Map)}, with the tensors named in {@code int64} written as I64
     * (whole numbers: counts such as BatchNorm's {@code num_batches_tracked}, which PyTorch keeps
     * as {@code torch.long}; see {@code Module.countBuffers()}).
     *
     * @throws IllegalArgumentException also when a tensor named in {@code int64} is absent or holds
     *                                  a value that is not a whole number
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata, Set<String> int64) throws IOException {
        SafetensorsWriter writer = new SafetensorsWriter(tensors, metadata, int64);
        AtomicFiles.write(file, writer::writeTo);
    }

    /** Writes float32 tensors without metadata; see {@link #write(Path, Map, Map)}. */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    /**
     * The bytes {@link #write(Path, Map, Map)} would write.
     *
     * @throws IllegalArgumentException as for {@code write}, or when the result exceeds 2 GB
     */
    public static byte[] toBytes(Map<String, Tensor> tensors, Map<String, String> metadata) {
        SafetensorsWriter writer = new SafetensorsWriter(tensors, metadata, Set.of());
        if (writer.fileSize() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("safetensors toBytes: " + writer.fileSize() + " bytes do not fit in a byte array; write to a file");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) writer.fileSize());
        try {
            writer.writeTo(Channels.newChannel(out));
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail with I/O", e); // unreachable
        }
        return out.toByteArray();
    }
}
