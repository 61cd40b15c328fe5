package dev.descent.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** Cuts a run's metrics.jsonl back to a checkpoint's step, so that a resumed attempt does not log steps twice. */
final class MetricsCut {
    private MetricsCut() {}

    /** Keeps the lines whose {@code step} is at most {@code step} (and lines without one); written atomically. */
    static void keepUpTo(Path metrics, long step) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> kept = new ArrayList<>();
        for (String line : Files.readAllLines(metrics, StandardCharsets.UTF_8)) {
            if (line.isBlank()) continue;
            JsonNode n;
            try {
                n = json.readTree(line);
            } catch (IOException e) {
                break; // a line cut short by the failure: nothing after it is whole
            }
            if (n.path("kind").asText().equals("end")) continue; // the failed attempt's own ending
            if (!n.has("step") || n.get("step").asLong() <= step) kept.add(line);
        }
        Path tmp = metrics.resolveSibling(metrics.getFileName() + ".tmp");
        Files.write(tmp, kept, StandardCharsets.UTF_8);
        Files.move(tmp, metrics, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
