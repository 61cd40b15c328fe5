package dev.descent.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.constantpool.ClassEntry;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * dev.descent.schedule is a leaf: its compiled classes refer to no class outside java.*, the
 * package itself and the registry package (itself a leaf below it, DESIGN.md, "Layers"). Reads the constant pools, so it also catches fully
 * qualified names that an import scan would miss.
 */
class LeafPackageTest {

    @Test
    void referencesOnlyJavaAndItself() throws IOException, URISyntaxException {
        Path dir = Path.of(Schedule.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("dev/descent/schedule");
        List<Path> classes;
        try (Stream<Path> files = Files.list(dir)) {
            classes = files.filter(p -> p.toString().endsWith(".class")).toList();
        }
        assertTrue(classes.size() > 10, "expected the schedule classes in " + dir + ", found " + classes);
        TreeSet<String> foreign = new TreeSet<>();
        for (Path file : classes) {
            var model = ClassFile.of().parse(file);
            for (var entry : model.constantPool()) {
                if (entry instanceof ClassEntry c) {
                    String name = c.asInternalName().replaceFirst("^\\[+L?", "");
                    if (!name.startsWith("java/") && !name.startsWith("dev/descent/schedule/")
                            && !name.startsWith("dev/descent/registry/")
                            && name.contains("/")) {
                        foreign.add(file.getFileName() + " -> " + name);
                    }
                }
            }
        }
        assertEquals(new TreeSet<String>(), foreign, "references outside java.*, dev.descent.schedule and dev.descent.registry");
    }
}
