package dev.descent.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLogTest {
    @TempDir Path tmp;

    private Path log(String... lines) throws IOException {
        return Files.write(tmp.resolve("metrics.jsonl"), List.of(lines));
    }

    @Test
    void splitsRecordsByKindAndKeepsNullsAsNaN() throws IOException {
        RunLog log = RunLog.read(log(
                "{\"kind\":\"step\",\"step\":1,\"epoch\":0,\"loss\":null,\"lr\":0.1,\"grad_norm\":null,\"seconds\":0.5,\"skipped\":true}",
                "{\"kind\":\"eval\",\"step\":1,\"epoch\":0,\"val_loss\":0.9,\"val_accuracy\":0.4}",
                "{\"kind\":\"future_kind\",\"step\":1}",
                "{\"kind\":\"epoch\",\"epoch\":0,\"step\":1,\"loss\":1.0,\"val_loss\":0.9,\"seconds\":0.5}"));
        assertEquals(1, log.steps().size());
        assertEquals(1, log.evals().size());
        assertEquals(1, log.epochs().size());
        assertTrue(Double.isNaN(log.steps().get(0).get("loss")));
        assertEquals(1.0, log.steps().get(0).get("skipped"));
        assertEquals(0.1, log.steps().get(0).get("lr"));
        assertEquals(List.of("val_loss", "val_accuracy"), List.copyOf(RunLog.names(log.evals())));
        assertNull(log.endReason(), "no end record");
    }

    /**
     * The reader goes through each line's tokens rather than building a tree: arrays and objects
     * (a resume record's changed keys) and texts other than the end's reason and the test's
     * checkpoint are skipped, wherever they sit among the numbers.
     */
    @Test
    void nestedValuesAndTextsAreSkippedAndTheRestIsKept() throws IOException {
        RunLog log = RunLog.read(log(
                "{\"kind\":\"step\",\"step\":1,\"epoch\":1,\"loss\":2.5,\"note\":\"x\",\"extra\":{\"a\":[1,{\"b\":2}]},\"lr\":0.1}",
                "{\"kind\":\"resume\",\"step\":1,\"changed\":[\"optimizer.lr\",\"train.epochs\"]}",
                "{\"kind\":\"step\",\"step\":2,\"epoch\":1,\"loss\":1e-3,\"lr\":1}",
                "{\"kind\":\"end\",\"step\":2,\"reason\":\"completed\"}",
                "{\"kind\":\"test\",\"checkpoint\":\"final.safetensors\",\"loss\":0.5,\"accuracy\":0.875}"));
        assertEquals(2, log.steps().size());
        assertEquals(List.of("loss", "lr"), List.copyOf(log.steps().get(0).values().keySet()));
        assertEquals(2.5, log.steps().get(0).get("loss"));
        assertEquals(1e-3, log.steps().get(1).get("loss"));
        assertEquals(1.0, log.steps().get(1).get("lr"));
        assertEquals(2, log.steps().get(1).step());
        assertEquals(1, log.steps().get(1).epoch());
        assertEquals("completed", log.endReason());
        assertEquals(2, log.endStep());
        assertEquals("final.safetensors", log.testCheckpoint());
        assertEquals(List.of("loss", "accuracy"), List.copyOf(log.test().values().keySet()));
    }

    @Test
    void aTornLastLineIsIgnoredButAMalformedMiddleLineIsAnError() throws IOException {
        RunLog log = RunLog.read(log("{\"kind\":\"step\",\"step\":1,\"epoch\":0,\"loss\":1.0}", "{\"kind\":\"step\",\"step\":2,\"ep"));
        assertEquals(1, log.steps().size());

        Path bad = log("{\"kind\":\"step\",\"step\":1,\"epoch\":0,\"loss\":1.0}", "not json", "{\"kind\":\"end\",\"step\":1,\"reason\":\"completed\"}");
        ReportException e = assertThrows(ReportException.class, () -> RunLog.read(bad));
        assertTrue(e.getMessage().contains(bad.toString()) && e.getMessage().contains("line 2"), e.getMessage());
    }

    /** A run stopped at its first step logs only its end: the report still says how it ended (issue 17, B5). */
    @Test
    void aLogWithOnlyAnEndRecordIsReadButOneWithoutRecordsIsAnError() throws IOException {
        RunLog ended = RunLog.read(log("{\"kind\":\"end\",\"step\":0,\"reason\":\"failed: out of memory\"}"));
        assertEquals("failed: out of memory", ended.endReason());
        assertTrue(ended.steps().isEmpty() && ended.evals().isEmpty() && ended.epochs().isEmpty());
        Path f = log("{\"kind\":\"other\"}");
        ReportException e = assertThrows(ReportException.class, () -> RunLog.read(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("no step, eval, epoch, round or end records"), e.getMessage());
    }

    /** A federated run's round lines: the round number as the row's step, their values by name (the round itself not among them). */
    @Test
    void roundRecordsAreReadWithTheRoundAsTheirStep() throws IOException {
        RunLog log = RunLog.read(log("{\"kind\":\"round\",\"round\":1,\"clients\":3,\"client_loss\":0.9,\"drift\":0.2,\"val_accuracy\":0.5}",
                "{\"kind\":\"round\",\"round\":2,\"clients\":3,\"client_loss\":0.7,\"drift\":null}",
                "{\"kind\":\"end\",\"round\":2,\"reason\":\"completed\"}"));
        assertEquals(2, log.rounds().size());
        assertEquals(2, log.rounds().get(1).step());
        assertEquals(List.of("clients", "client_loss", "drift", "val_accuracy"), List.copyOf(RunLog.names(log.rounds())));
        assertTrue(Double.isNaN(log.rounds().get(1).get("drift")));
        assertEquals("completed", log.endReason());
        assertTrue(log.steps().isEmpty() && log.epochs().isEmpty());
    }
}
