package dev.descent.interop.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.interop.proto.ProtoReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A federated run's rounds as TensorBoard points: each value of a round at the round number as
 * the step, validation values under val/ (as a centralized run's), the others under round/, the
 * configuration as text, and a continued run's restart mark.
 */
class RoundLogTest {
    @TempDir Path dir;

    private static List<ProtoReader> events(Path tb) throws IOException {
        try (var s = Files.list(tb)) {
            List<Path> files = s.toList();
            assertEquals(1, files.size(), files.toString());
            return EventFileTest.events(files.getFirst());
        }
    }

    @Test
    void everyValueOfEveryRoundAtTheRoundNumber() throws IOException {
        Path tb = dir.resolve("tb");
        try (RoundLog log = RoundLog.open(tb, 0, "federated: {rounds: 2}")) {
            log.round(1, values(0.9, 0.25, 0.8));
            log.round(2, values(0.7, 0.125, Double.NaN));
        }
        Map<String, List<String>> points = new LinkedHashMap<>();
        String text = null;
        for (ProtoReader e : events(tb)) {
            assertFalse(e.has(7), "a fresh run has no restart mark");
            if (!e.has(5)) continue;
            ProtoReader value = e.message(5).message(1);
            if (value.has(8)) text = value.message(8).string(8);
            if (value.has(2)) points.computeIfAbsent(value.string(1), k -> new ArrayList<>()).add(e.varint(2) + ":" + value.floatValue(2));
        }
        assertEquals(Map.of("round/client_loss", List.of("1:0.9", "2:0.7"), "round/drift", List.of("1:0.25", "2:0.125"),
                "val/loss", List.of("1:0.8", "2:NaN")), points);
        assertEquals("```\nfederated: {rounds: 2}\n```", text);
    }

    @Test
    void aContinuedRunMarksItsRestartAfterTheRoundsDone() throws IOException {
        Path tb = dir.resolve("tb");
        try (RoundLog log = RoundLog.open(tb, 3, null)) {
            log.round(4, values(0.5, 0.1, 0.4));
        }
        List<ProtoReader> events = events(tb);
        assertEquals(1, events.get(1).message(7).varint(1), "SessionLog.status START");
        assertEquals(4, events.get(1).varint(2), "TensorBoard drops the earlier files' points from round 4 on");
        assertTrue(events.stream().skip(2).allMatch(e -> e.varint(2) == 4));
    }

    private static Map<String, Double> values(double loss, double drift, double valLoss) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("client_loss", loss);
        m.put("drift", drift);
        m.put("val_loss", valLoss);
        return m;
    }
}
