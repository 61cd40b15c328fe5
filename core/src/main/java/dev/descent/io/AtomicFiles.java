package dev.descent.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file so that readers (and a crash) see either the old file or the complete new one,
 * never a half-written one: the one way Descent writes a file (checkpoints, safetensors, run.json,
 * config.yaml, reports, predictions). The content goes to a temporary file in the same directory (a
 * rename is only atomic within one file system), is forced to disk, and is renamed over the
 * target; then the directory is forced too, so that the rename itself survives a power loss.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes the content of a file; may throw any IOException, which aborts the replacement. */
    @FunctionalInterface
    public interface Content {
        void writeTo(FileChannel channel) throws IOException;
    }

    /** Writes {@code target} atomically with the given content. On failure the target is untouched. */
    public static void write(Path target, Content content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path temp = createTemp(dir, absolute.getFileName().toString());
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                content.writeTo(ch);
                // Without this, a power loss after the rename can leave an empty or partial file
                // under the final name on some file systems.
                ch.force(true);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                // Some file systems (certain network mounts) cannot rename atomically; a plain
                // replacing move is still better than failing the write.
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) Files.deleteIfExists(temp);
        }
        forceDirectory(dir);
    }

    /** Writes {@code bytes} to {@code target} atomically. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, ch -> {
            var buffer = java.nio.ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) ch.write(buffer);
        });
    }

    /** Writes {@code text} as UTF-8 to {@code target} atomically. */
    public static void write(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Forces the directory entry of the rename to disk. Not every platform can open a directory
     * (Windows cannot); there the rename is as durable as the file system makes it.
     */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // The file is in place; only the durability of the rename across a power loss is left to the OS.
        }
    }

    /**
     * A new empty file next to the target. Not {@link Files#createTempFile}: that creates the file
     * with owner-only permissions on POSIX systems, which the final file would then keep; a plain
     * create gives it the same default permissions as any other new file.
     */
    private static Path createTemp(Path dir, String targetName) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path temp = dir.resolve("." + targetName + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                return Files.createFile(temp);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 10) throw e;
            }
        }
    }
}
