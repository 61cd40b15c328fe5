package dev.descent.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.search.Direction;
import dev.descent.search.FrozenTrial;
import dev.descent.search.TrialState;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcStudyStorageTest {
    @TempDir
    Path dir;

    private String url() {
        return "jdbc:sqlite:" + dir.resolve("study.db");
    }

    @Test
    void everyFieldSurvivesClosingAndReopening() {
        everyFieldSurvivesClosingAndReopening(url());
    }

    /** The same schema in PostgreSQL: doubles as double precision (a real would round 3e-4), longs as bigint. */
    @Test
    void everyFieldSurvivesClosingAndReopeningInPostgres() throws Exception {
        everyFieldSurvivesClosingAndReopening(TestPostgres.freshSchema());
    }

    private void everyFieldSurvivesClosingAndReopening(String url) {
        long study;
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("lr", 3.0e-4);
        params.put("layers", 3L);
        params.put("optimizer", "adamw");
        params.put("huge", Long.MAX_VALUE); // would lose precision if it went through a double
        params.put("neg", Double.NEGATIVE_INFINITY);
        try (JdbcStudyStorage s = JdbcStudyStorage.open(url)) {
            study = s.createStudy("mnist", Direction.MAXIMIZE);
            TrialId done = s.createTrial(study);
            s.setParams(done, params);
            s.reportIntermediate(done, 0, 0.5);
            s.reportIntermediate(done, 2, 0.75);
            s.reportIntermediate(done, 1, 0.6);
            s.finish(done, TrialState.COMPLETE, 0.875, null);
            TrialId pruned = s.createTrial(study);
            s.reportIntermediate(pruned, 0, 0.1);
            s.finish(pruned, TrialState.PRUNED, 0.1, null);
            TrialId failed = s.createTrial(study);
            s.finish(failed, TrialState.FAIL, null, "OutOfMemoryError: Java heap space");
            s.createTrial(study); // left running
        }
        try (JdbcStudyStorage s = JdbcStudyStorage.open(url)) {
            assertEquals(study, s.createStudy("mnist", Direction.MAXIMIZE), "get-or-create must return the existing study");
            assertEquals(Direction.MAXIMIZE, s.direction(study));
            List<FrozenTrial> trials = s.trials(study);
            assertEquals(4, trials.size());

            FrozenTrial t0 = trials.get(0);
            assertEquals(0, t0.number());
            assertEquals(TrialState.COMPLETE, t0.state());
            assertEquals(new TreeMap<>(params), t0.params().values());
            for (Map.Entry<String, Object> e : params.entrySet()) {
                assertEquals(e.getValue().getClass(), t0.params().get(e.getKey()).getClass(), "type of " + e.getKey());
            }
            assertEquals(0.875, t0.value());
            assertEquals(List.of(0, 1, 2), List.copyOf(t0.intermediate().keySet()));
            assertEquals(List.of(0.5, 0.6, 0.75), List.copyOf(t0.intermediate().values()));
            assertNull(t0.error());

            assertEquals(TrialState.PRUNED, trials.get(1).state());
            assertEquals(0.1, trials.get(1).value());
            assertTrue(trials.get(1).params().values().isEmpty());

            FrozenTrial t2 = trials.get(2);
            assertEquals(TrialState.FAIL, t2.state());
            assertNull(t2.value());
            assertEquals("OutOfMemoryError: Java heap space", t2.error());

            FrozenTrial t3 = trials.get(3);
            assertEquals(3, t3.number());
            assertEquals(TrialState.RUNNING, t3.state());
            assertNull(t3.value());
        }
    }

    @Test
    void studiesAreSeparateAndNumberedFromZeroEach() {
        try (JdbcStudyStorage s = JdbcStudyStorage.open(url())) {
            long a = s.createStudy("a", Direction.MINIMIZE);
            long b = s.createStudy("b", Direction.MINIMIZE);
            assertNotEquals(a, b);
            assertEquals(0, s.createTrial(a).number());
            assertEquals(1, s.createTrial(a).number());
            assertEquals(0, s.createTrial(b).number());
            assertEquals(2, s.trials(a).size());
            StudyMismatchException e = assertThrows(StudyMismatchException.class, () -> s.createStudy("a", Direction.MAXIMIZE));
            assertTrue(e.getMessage().contains("study \"a\" in " + dir.resolve("study.db") + " was created with direction minimize"), e.getMessage());
            assertTrue(e.message("this config has").contains("; this config has direction maximize; "), e.message("this config has"));
            assertThrows(IllegalArgumentException.class, () -> s.createTrial(999));
        }
    }

    /** Optuna's rule, kept by the storage itself: a pruned trial's value is its last intermediate value. */
    @Test
    void aPrunedTrialWithoutAValueGetsItsLastIntermediateValue() {
        try (JdbcStudyStorage s = JdbcStudyStorage.open(url())) {
            long study = s.createStudy("s", Direction.MINIMIZE);
            TrialId reported = s.createTrial(study);
            s.reportIntermediate(reported, 5, 0.25);
            s.reportIntermediate(reported, 2, 0.75); // reported later, but an earlier step
            s.finish(reported, TrialState.PRUNED, null, null);
            TrialId silent = s.createTrial(study);
            s.finish(silent, TrialState.PRUNED, null, null);
            TrialId given = s.createTrial(study);
            s.reportIntermediate(given, 0, 1.0);
            s.finish(given, TrialState.PRUNED, 3.0, null);
            List<FrozenTrial> trials = s.trials(study);
            assertEquals(0.25, trials.get(0).value(), "the value at the highest step");
            assertNull(trials.get(1).value());
            assertEquals(3.0, trials.get(2).value(), "a value given is stored as given");
        }
    }

    /** The first definition stored stays; later ones get it back to compare with. */
    @Test
    void aStudyKeepsTheFirstSearchSpaceStored() {
        try (JdbcStudyStorage s = JdbcStudyStorage.open(url())) {
            long study = s.createStudy("s", Direction.MINIMIZE);
            assertEquals("{\"first\":1}", s.storeSearchSpaceIfAbsent(study, "{\"first\":1}"));
            assertEquals("{\"first\":1}", s.storeSearchSpaceIfAbsent(study, "{\"second\":2}"));
            assertThrows(IllegalArgumentException.class, () -> s.storeSearchSpaceIfAbsent(999, "{}"));
        }
    }

    @Test
    void finishedTrialsAreImmutableAndAStepReportedAgainIsReplaced() {
        try (JdbcStudyStorage s = JdbcStudyStorage.open(url())) {
            long study = s.createStudy("s", Direction.MINIMIZE);
            TrialId t = s.createTrial(study);
            s.reportIntermediate(t, 4, 1.0);
            s.reportIntermediate(t, 4, 0.5);
            s.finish(t, TrialState.COMPLETE, 0.5, null);
            assertThrows(IllegalStateException.class, () -> s.finish(t, TrialState.FAIL, null, "late"));
            assertThrows(IllegalStateException.class, () -> s.reportIntermediate(t, 5, 0.1));
            assertThrows(IllegalStateException.class, () -> s.setParams(t, Map.of("x", 1.0)));
            FrozenTrial r = s.trials(study).getFirst();
            assertEquals(TrialState.COMPLETE, r.state());
            assertEquals(Map.of(4, 0.5), r.intermediate());
        }
    }

    @Test
    void valuesThatCannotRoundTripAreRefusedWithoutAPartialWrite() {
        try (JdbcStudyStorage s = JdbcStudyStorage.open(url())) {
            long study = s.createStudy("s", Direction.MINIMIZE);
            TrialId t = s.createTrial(study);
            Map<String, Object> bad = new LinkedHashMap<>();
            bad.put("ok", 1.0);
            bad.put("units", 64); // Integer: would come back as Long
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.setParams(t, bad));
            assertTrue(e.getMessage().contains("units") && e.getMessage().contains("Integer"), e.getMessage());
            assertTrue(s.trials(study).getFirst().params().values().isEmpty(), "the valid parameter must not be stored alone");
            assertThrows(IllegalArgumentException.class, () -> s.setParams(t, Map.of("x", Double.NaN)));
            assertThrows(IllegalArgumentException.class, () -> s.reportIntermediate(t, 0, Double.NaN));
            assertThrows(IllegalArgumentException.class, () -> s.finish(t, TrialState.COMPLETE, null, null));
            assertThrows(IllegalArgumentException.class, () -> s.finish(t, TrialState.RUNNING, 1.0, null));
            assertEquals(TrialState.RUNNING, s.trials(study).getFirst().state());
        }
    }

    @Test
    void failInterruptedTrialsSparesTrialsWithARecentHeartbeat() throws Exception {
        try (JdbcStudyStorage s = JdbcStudyStorage.open(url())) {
            long study = s.createStudy("s", Direction.MINIMIZE);
            TrialId stale = s.createTrial(study);
            s.setParams(stale, Map.of("x", 2.0));
            Thread.sleep(300);
            TrialId live = s.createTrial(study);
            List<FrozenTrial> failed = s.failInterruptedTrials(study, java.time.Duration.ofMillis(150));
            assertEquals(1, failed.size());
            assertEquals(stale.number(), failed.getFirst().number());
            assertEquals(TrialState.FAIL, failed.getFirst().state());
            assertEquals("interrupted", failed.getFirst().error());
            assertEquals(Map.of("x", 2.0), failed.getFirst().params().values());
            assertEquals(TrialState.RUNNING, s.trials(study).get(live.number()).state());
            assertEquals(List.of(live.number()),
                    s.failInterruptedTrials(study, java.time.Duration.ZERO).stream().map(FrozenTrial::number).toList());
            assertEquals(TrialState.FAIL, s.trials(study).get(live.number()).state());
        }
    }
}
