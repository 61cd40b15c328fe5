package dev.descent.optim;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layer rule for this package: optim imports only dev.descent.tensor, dev.descent.schedule and
 * dev.descent.registry of Descent (nn, loss, train and the rest are its peers or above it). Checked on the sources, so
 * a fully qualified reference in code would slip through; the project-wide architecture test
 * over compiled classes is the complete check.
 */
class LayerRuleTest {

    @Test
    void optimImportsOnlyTensorScheduleAndRegistry() throws IOException {
        Path dir = Path.of("src/main/java/dev/descent/optim");
        assertTrue(Files.isDirectory(dir), "run from the core module: " + dir.toAbsolutePath());
        List<String> violations = new ArrayList<>();
        int files = 0;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                files++;
                for (String line : Files.readAllLines(f)) {
                    String l = line.strip();
                    if (!l.startsWith("import ") || !l.contains("dev.descent.")) continue;
                    String target = l.replace("import static ", "").replace("import ", "");
                    if (!target.startsWith("dev.descent.tensor.") && !target.startsWith("dev.descent.schedule.")
                            && !target.startsWith("dev.descent.registry.") && !target.startsWith("dev.descent.optim.")) {
                        violations.add(f.getFileName() + ": " + l);
                    }
                    if (target.startsWith("dev.descent.tensor.kernel.")) violations.add(f.getFileName() + ": internal kernels: " + l);
                }
            }
        }
        assertTrue(files > 10, "found the sources");
        assertEquals(List.of(), violations);
    }
}
