package dev.descent.loss;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package's layer rule: its sources import only the JDK, {@code dev.descent.tensor} (not the
 * tensor kernels, and not nn or optim, which sit in the same layer) and the leaf
 * {@code dev.descent.registry}.
 */
class LayerRuleTest {
    @Test
    void importsOnlyTheJdkTensorAndRegistry() throws IOException {
        Path dir = Path.of("src/main/java/dev/descent/loss");
        assertTrue(Files.isDirectory(dir), "run from the core module: " + dir.toAbsolutePath() + " is missing");
        List<String> bad = new ArrayList<>();
        int files = 0;
        try (Stream<Path> sources = Files.list(dir)) {
            for (Path p : (Iterable<Path>) sources.filter(f -> f.toString().endsWith(".java"))::iterator) {
                files++;
                for (String line : Files.readAllLines(p)) {
                    String s = line.strip();
                    if (!s.startsWith("import ")) continue;
                    String name = s.substring(s.startsWith("import static ") ? 14 : 7);
                    boolean ok = name.startsWith("java.") || name.startsWith("dev.descent.registry.") || (name.startsWith("dev.descent.tensor.") && !name.startsWith("dev.descent.tensor.kernel."));
                    if (!ok) bad.add(p.getFileName() + ": " + s);
                }
            }
        }
        assertTrue(files >= 10, "expected the loss sources in " + dir);
        assertTrue(bad.isEmpty(), "imports outside the layer rule: " + bad);
    }
}
