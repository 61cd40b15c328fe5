package dev.descent.study;

import static dev.descent.search.Dimension.categorical;
import static dev.descent.search.Dimension.intRange;
import static dev.descent.search.Dimension.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.search.Direction;
import dev.descent.search.FrozenTrial;
import dev.descent.search.GridSampler;
import dev.descent.search.Objective;
import dev.descent.search.Parameter;
import dev.descent.search.Params;
import dev.descent.search.Pruner;
import dev.descent.search.RandomSampler;
import dev.descent.search.SearchSpace;
import dev.descent.search.Study;
import dev.descent.search.TrialPrunedException;
import dev.descent.search.TrialBudget;
import dev.descent.search.TrialState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search-package Study running on the SQLite storage: continue after a restart and after a crash
 * mid-trial; trials read back as written; pruned values kept.
 */
class JdbcStudyTest {
    @TempDir Path dir;

    private static final SearchSpace SPACE = SearchSpace.of(Parameter.of("x", uniform(-2, 2)), Parameter.of("c", categorical("a", "b")));

    private static Study study(JdbcStudyStorage db) {
        JdbcStudy storage = JdbcStudy.open(db, "demo", Direction.MINIMIZE, SPACE);
        return Study.create(SPACE, Direction.MINIMIZE, new RandomSampler(), Pruner.none(), 11, storage);
    }

    private static double objective(Params p) {
        double x = p.getDouble("x");
        return x * x + (p.getString("c").equals("a") ? 0 : 1);
    }

    @Test
    void aReopenedStudyContinuesWithoutRepeatingFinishedTrials() {
        String url = "jdbc:sqlite:" + dir.resolve("study.db");
        List<FrozenTrial> before;
        try (JdbcStudyStorage db = JdbcStudyStorage.open(url)) {
            Study s = study(db);
            s.optimize(t -> objective(t.params()), 6, Duration.ofMinutes(1), 1);
            before = s.trials();
        }
        try (JdbcStudyStorage db = JdbcStudyStorage.open(url)) {
            Study s = study(db);
            s.optimize(t -> objective(t.params()), 5, Duration.ofMinutes(1), 2);
            List<FrozenTrial> after = s.trials();
            assertEquals(11, after.size());
            for (int i = 0; i < 11; i++) assertEquals(i, after.get(i).number());
            for (int i = 0; i < 6; i++) {
                assertEquals(before.get(i).params(), after.get(i).params(), "trial " + i + " kept its parameters");
                assertEquals(before.get(i).value(), after.get(i).value());
            }
            assertTrue(s.bestTrial().orElseThrow().value() <= before.stream().mapToDouble(FrozenTrial::value).min().orElseThrow());
        }
    }

    /**
     * A trial is failed as interrupted only once its heartbeat is older than the grace period: a
     * second worker opening the study while the first one's trial runs (longer than the grace,
     * kept alive by its heartbeats) leaves it alone; after the first worker dies, the next opening
     * records it as FAIL "interrupted", keeping its parameters and reports.
     */
    @Test
    void aTrialLeftRunningIsRecordedAsInterruptedOnceItsHeartbeatIsStale() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("crash.db");
        // a grace of 5 intervals: a loaded CI machine can delay the heartbeat thread past one or two
        JdbcStudy.Heartbeat beat = new JdbcStudy.Heartbeat(Duration.ofMillis(200), Duration.ofMillis(1000));
        try (JdbcStudyStorage db = JdbcStudyStorage.open(url); JdbcStudy first = JdbcStudy.open(db, "demo", Direction.MINIMIZE, SPACE, null, beat)) {
            int n = first.createTrial();
            first.setParams(n, new Params(Map.of("x", 0.5, "c", "a")));
            first.reportIntermediate(n, 0, 3.0);
            first.reportIntermediate(n, 0, 9.0); // a repeated step keeps the first value
            assertEquals(3.0, first.trial(n).intermediate().get(0));
            Thread.sleep(5 * beat.grace().toMillis() / 2);
            try (JdbcStudyStorage db2 = JdbcStudyStorage.open(url); JdbcStudy second = JdbcStudy.open(db2, "demo", Direction.MINIMIZE, SPACE, null, beat)) {
                assertEquals(TrialState.RUNNING, second.trial(n).state(), "alive by its heartbeats, though older than the grace");
            }
            // the process "dies" here: no more heartbeats, the trial is never finished
        }
        Thread.sleep(2 * beat.grace().toMillis());
        try (JdbcStudyStorage db = JdbcStudyStorage.open(url); JdbcStudy storage = JdbcStudy.open(db, "demo", Direction.MINIMIZE, SPACE, null, beat)) {
            Study s = Study.create(SPACE, Direction.MINIMIZE, new RandomSampler(), Pruner.none(), 7, storage);
            FrozenTrial t0 = s.trials().get(0);
            assertEquals(TrialState.FAIL, t0.state());
            assertEquals("interrupted", t0.error());
            assertEquals(Map.of(0, 3.0), t0.intermediate());
            assertEquals(Map.of("x", 0.5, "c", "a"), t0.params().values());
            s.optimize(t -> objective(t.params()), 2, Duration.ofMinutes(1), 1);
            assertEquals(3, s.trials().size());
        }
    }

    /**
     * A worker whose trial another worker failed (stale heartbeat) stops that trial cleanly: its
     * next report (trial 0) or its final result (trial 1) is dropped, the failure stands, and the
     * study goes on to its total without an exception.
     */
    @Test
    void aWorkerWhoseTrialWasFailedUnderItDropsItAndGoesOn() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("abandoned.db");
        try (JdbcStudyStorage db = JdbcStudyStorage.open(url); JdbcStudy storage = JdbcStudy.open(db, "demo", Direction.MINIMIZE, SPACE);
             JdbcStudyStorage other = JdbcStudyStorage.open(url)) {
            long id = other.createStudy("demo", Direction.MINIMIZE);
            Study s = Study.create(SPACE, Direction.MINIMIZE, new RandomSampler(), Pruner.none(), 3, storage);
            s.optimize(t -> {
                if (t.number() < 2) {
                    Thread.sleep(5);
                    assertEquals(List.of(t.number()), other.failInterruptedTrials(id, Duration.ZERO).stream().map(FrozenTrial::number).toList());
                    if (t.number() == 0) t.report(0, 1.0);
                }
                return t.number();
            }, new TrialBudget(3, 0), null, 1);
            assertEquals(List.of(TrialState.FAIL, TrialState.FAIL, TrialState.COMPLETE), s.trials().stream().map(FrozenTrial::state).toList());
            assertEquals(List.of("interrupted", "interrupted"), s.trials().subList(0, 2).stream().map(FrozenTrial::error).toList());
            assertTrue(s.trials().getFirst().intermediate().isEmpty(), "the report after the failure was not written");
        }
    }

    /**
     * Trials read back equal to what the in-memory storage holds for the same study: an int
     * parameter comes back as its Integer (not the Long the database keeps), a pruned trial with
     * its last intermediate value.
     */
    @Test
    void trialsReadBackAsAnInMemoryStudyHoldsThem() {
        SearchSpace space = SearchSpace.of(Parameter.of("k", intRange(1, 9)), Parameter.of("c", categorical("a", "b")));
        Objective objective = t -> {
            t.report(0, t.params().getInt("k"));
            t.report(1, t.params().getInt("k") / 2.0);
            if (t.params().getString("c").equals("b")) throw new TrialPrunedException("b");
            return t.params().getInt("k");
        };
        Study memory = Study.create(space, Direction.MINIMIZE, new RandomSampler(), Pruner.none(), 3);
        memory.optimize(objective, 8, null, 1);
        try (JdbcStudyStorage db = JdbcStudyStorage.open("jdbc:sqlite:" + dir.resolve("same.db"))) {
            Study durable = Study.create(space, Direction.MINIMIZE, new RandomSampler(), Pruner.none(), 3,
                    JdbcStudy.open(db, "same", Direction.MINIMIZE, space));
            durable.optimize(objective, 8, null, 1);
        }
        try (JdbcStudyStorage db = JdbcStudyStorage.open("jdbc:sqlite:" + dir.resolve("same.db"))) {
            List<FrozenTrial> reread = JdbcStudy.open(db, "same", Direction.MINIMIZE, space).trials();
            assertEquals(memory.trials(), reread);
            assertTrue(reread.stream().anyMatch(t -> t.state() == TrialState.PRUNED), "the seed gives pruned trials");
            for (FrozenTrial t : reread) {
                assertEquals(Integer.class, t.params().get("k").getClass());
                if (t.state() == TrialState.PRUNED) assertEquals(t.intermediate().get(1), t.value());
            }
        }
    }

    /** A grid over an int range hands out each point once: it recognizes the points stored before. */
    @Test
    void aGridOverAnIntRangeVisitsEachPointOnce() {
        SearchSpace space = SearchSpace.of(Parameter.of("k", intRange(1, 4)));
        try (JdbcStudyStorage db = JdbcStudyStorage.open("jdbc:sqlite:" + dir.resolve("grid.db"))) {
            Study s = Study.create(space, Direction.MINIMIZE, new GridSampler(), Pruner.none(), 1,
                    JdbcStudy.open(db, "grid", Direction.MINIMIZE, space));
            s.optimize(t -> t.params().getInt("k"), 10, null, 1);
            assertEquals(List.of(1, 2, 3, 4), s.trials().stream().map(t -> t.params().getInt("k")).toList(), "then the grid is exhausted");
        }
    }

    @Test
    void booleanChoicesAreRefusedWithAClearMessage() {
        try (JdbcStudyStorage db = JdbcStudyStorage.open("jdbc:sqlite:" + dir.resolve("b.db"))) {
            JdbcStudy storage = JdbcStudy.open(db, "demo", Direction.MINIMIZE, SPACE);
            int n = storage.createTrial();
            var e = assertThrows(IllegalArgumentException.class, () -> storage.setParams(n, new Params(Map.of("flag", true))));
            assertTrue(e.getMessage().contains("'flag'"), e.getMessage());
        }
    }
}
