package dev.descent.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A re-run attempt's log: lines past the checkpoint's step, the failed attempt's end and a torn last line go. */
class MetricsCutTest {
    @TempDir Path dir;

    @Test
    void keepsTheLinesUpToTheCheckpointStep() throws IOException {
        Path log = Files.write(dir.resolve("metrics.jsonl"), List.of(
                "{\"kind\":\"step\",\"step\":1,\"loss\":2.0}",
                "{\"kind\":\"step\",\"step\":2,\"loss\":1.5}",
                "{\"kind\":\"epoch\",\"epoch\":0,\"step\":2,\"loss\":1.7}",
                "{\"kind\":\"step\",\"step\":3,\"loss\":1.2}",
                "{\"kind\":\"end\",\"step\":3,\"reason\":\"failed: lost executor\"}",
                "{\"kind\":\"step\",\"st"));
        MetricsCut.keepUpTo(log, 2);
        assertEquals(List.of("{\"kind\":\"step\",\"step\":1,\"loss\":2.0}", "{\"kind\":\"step\",\"step\":2,\"loss\":1.5}",
                "{\"kind\":\"epoch\",\"epoch\":0,\"step\":2,\"loss\":1.7}"), Files.readAllLines(log));
    }
}
