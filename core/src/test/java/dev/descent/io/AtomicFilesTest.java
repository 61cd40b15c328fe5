package dev.descent.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one atomic writer: the target holds the old content or the new, and no temporary file stays behind. */
class AtomicFilesTest {
    @TempDir Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesAndReplacesLeavingOnlyTheTarget() throws IOException {
        Path f = dir.resolve("run.json");
        AtomicFiles.write(f, "first");
        AtomicFiles.write(f, "second, longer");
        assertEquals("second, longer", Files.readString(f));
        assertEquals(List.of("run.json"), names());
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
        Path f = dir.resolve("last.safetensors");
        AtomicFiles.write(f, new byte[] {1, 2, 3});
        var e = assertThrows(IOException.class, () -> AtomicFiles.write(f, ch -> {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {9, 9}));
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(f));
        assertEquals(List.of("last.safetensors"), names());
    }

    @Test
    void theTemporaryLivesInTheTargetsDirectory() throws IOException {
        Path f = dir.resolve("config.yaml");
        AtomicFiles.write(f, ch -> {
            List<String> during = names();
            assertEquals(1, during.size(), during.toString());
            assertEquals(true, during.get(0).startsWith(".config.yaml.") && during.get(0).endsWith(".tmp"), during.toString());
        });
        assertEquals(List.of("config.yaml"), names());
    }
}
