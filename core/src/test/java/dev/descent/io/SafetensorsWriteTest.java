package dev.descent.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing replaces files atomically and refuses what safetensors cannot hold. */
class SafetensorsWriteTest {
    @TempDir Path dir;

    private List<String> dirListing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void overwritesAnExistingFileAndLeavesNoTemporaryFile() throws Exception {
        Path file = dir.resolve("model.safetensors");
        Safetensors.write(file, Map.of("w", Tensor.vector(1, 2)));
        Safetensors.write(file, Map.of("w", Tensor.vector(3, 4, 5)));
        assertArrayEquals(new float[] {3, 4, 5}, Safetensors.read(file).tensor("w").toFloatArray());
        assertEquals(List.of("model.safetensors"), dirListing());
    }

    @Test
    void relativePathWithoutParentDirectoryWorks() throws Exception {
        // Path.of("x").getParent() is null; the temporary file must still go next to the target.
        Path file = dir.resolve("rel.safetensors");
        Path relative = Path.of("").toAbsolutePath().relativize(file);
        Safetensors.write(relative, Map.of("w", Tensor.vector(7)));
        assertEquals(7f, Safetensors.read(file).tensor("w").item());
    }

    @Test
    void failedMoveLeavesTheTargetAndNoTemporaryFile() throws Exception {
        // The target is a non-empty directory, so the final rename fails after the data is written.
        Path target = dir.resolve("occupied");
        Files.createDirectories(target.resolve("inside"));
        assertThrows(IOException.class, () -> Safetensors.write(target, Map.of("w", Tensor.vector(1))));
        assertTrue(Files.isDirectory(target.resolve("inside")));
        assertEquals(List.of("occupied"), dirListing());
    }

    @Test
    void invalidArgumentsFailBeforeTouchingTheFile() throws Exception {
        Path file = dir.resolve("keep.safetensors");
        Safetensors.write(file, Map.of("w", Tensor.vector(1)));
        byte[] before = Files.readAllBytes(file);

        var f64 = assertThrows(IllegalArgumentException.class,
                () -> Safetensors.write(file, Map.of("d", Tensor.zeros(DType.F64, 2))));
        assertTrue(f64.getMessage().contains("\"d\" is F64"), f64.getMessage());

        var reserved = assertThrows(IllegalArgumentException.class,
                () -> Safetensors.write(file, Map.of("__metadata__", Tensor.vector(1))));
        assertTrue(reserved.getMessage().contains("reserved"), reserved.getMessage());

        var surrogate = assertThrows(IllegalArgumentException.class,
                () -> Safetensors.write(file, Map.of("bad\uD800", Tensor.vector(1))));
        assertTrue(surrogate.getMessage().contains("lone surrogate at index 3"), surrogate.getMessage());

        Map<String, Tensor> nullTensor = new HashMap<>();
        nullTensor.put("n", null);
        var nul = assertThrows(IllegalArgumentException.class, () -> Safetensors.write(file, nullTensor));
        assertTrue(nul.getMessage().contains("\"n\" is null"), nul.getMessage());

        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("k", null);
        var nullMeta = assertThrows(IllegalArgumentException.class, () -> Safetensors.write(file, Map.of("w", Tensor.vector(1)), nullValue));
        assertTrue(nullMeta.getMessage().contains("metadata \"k\" has a null value"), nullMeta.getMessage());

        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of("keep.safetensors"), dirListing());
    }

    @Test
    void emptyMapWritesAValidEmptyFile() throws Exception {
        Path file = dir.resolve("empty.safetensors");
        Safetensors.write(file, Map.of());
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(16, bytes.length); // length 8, then "{}" padded to 8 bytes
        assertEquals(Map.of(), Safetensors.read(file).tensors());
    }

    @Test
    void missingTensorErrorNamesTheFileAndWhatItHas() throws Exception {
        SafetensorsFile f = Safetensors.fromBytes(Safetensors.toBytes(Map.of("a", Tensor.vector(1)), null), "ckpt.safetensors");
        var e = assertThrows(IllegalArgumentException.class, () -> f.tensor("b"));
        assertEquals("ckpt.safetensors: no tensor \"b\"; the file has [a]", e.getMessage());
    }
}
