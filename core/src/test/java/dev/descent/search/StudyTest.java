package dev.descent.search;

import static dev.descent.search.Dimension.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StudyTest {
    static final SearchSpace SPACE = SearchSpace.of(Parameter.of("x", uniform(-1, 1)), Parameter.of("c", categorical("a", "b")));

    @Test
    void concurrentTrialsAreAllRecordedExactlyOnce() {
        var study = Study.create(SPACE, Direction.MINIMIZE, new RandomSampler(), Pruner.none(), 3);
        var evaluated = ConcurrentHashMap.<Integer>newKeySet();
        var threads = ConcurrentHashMap.<String>newKeySet();
        var calls = new AtomicInteger();
        study.optimize(t -> {
            calls.incrementAndGet();
            assertTrue(evaluated.add(t.number()), "trial " + t.number() + " evaluated twice");
            threads.add(Thread.currentThread().getName());
            Thread.sleep(5);
            return t.params().getDouble("x") * t.params().getDouble("x");
        }, 40, Duration.ofMinutes(1), 4);
        List<FrozenTrial> trials = study.trials();
        assertEquals(40, trials.size());
        assertEquals(40, calls.get());
        var numbers = new HashSet<Integer>();
        for (var t : trials) {
            assertTrue(numbers.add(t.number()));
            assertEquals(TrialState.COMPLETE, t.state());
            assertEquals(t.params().getDouble("x") * t.params().getDouble("x"), t.value());
        }
        assertTrue(threads.size() > 1, "expected several worker threads, got " + threads);
    }

    /**
     * A budget of 6 with retry_failed 1: trials 0, 3 and 6 fail once (a flaky objective), and each
     * is re-run with its parameters as the next trial (1, 4, 7), which takes its place in the
     * count: 9 trials in all, 6 of them COMPLETE. Without retries the failures count: 6 trials.
     */
    @Test
    void aBudgetReRunsFailedTrialsWithTheirParametersInTheirPlace() {
        var study = Study.create(SPACE, Direction.MINIMIZE, new RandomSampler(), Pruner.none(), 4);
        var failedOnce = new HashSet<Object>();
        Objective flaky = t -> {
            if (t.number() % 3 == 0 && failedOnce.add(t.params().get("x"))) throw new IllegalStateException("flaky");
            return t.params().getDouble("x");
        };
        study.optimize(flaky, new TrialBudget(6, 1), null, 1);
        List<FrozenTrial> trials = study.trials();
        assertEquals(List.of(TrialState.FAIL, TrialState.COMPLETE, TrialState.COMPLETE, TrialState.FAIL, TrialState.COMPLETE, TrialState.COMPLETE,
                TrialState.FAIL, TrialState.COMPLETE, TrialState.COMPLETE), trials.stream().map(FrozenTrial::state).toList());
        for (int failed : List.of(0, 3, 6)) assertEquals(trials.get(failed).params(), trials.get(failed + 1).params(), "trial " + failed + " re-run");
        assertEquals(6, trials.stream().map(FrozenTrial::params).distinct().count(), "the others are new points");

        var once = Study.create(SPACE, Direction.MINIMIZE, new RandomSampler(), Pruner.none(), 4);
        failedOnce.clear();
        once.optimize(flaky, new TrialBudget(6, 0), null, 1);
        assertEquals(6, once.trials().size());
        assertEquals(2, once.trials().stream().filter(t -> t.state() == TrialState.FAIL).count());
    }

    /**
     * With 3 threads, the last trial of a budget of 6 (number 5) fails once. Every later ask sees
     * only trials up to number - 3, which never reaches it as no new trial is created; the spent
     * budget's ask waits for the call's trials and re-runs it all the same, as trial 6.
     */
    @Test
    void aFailedTrialAboveTheHistoryWindowIsReRunOnceTheBudgetIsSpent() {
        for (int run = 0; run < 3; run++) {
            var study = Study.create(SPACE, Direction.MINIMIZE, new RandomSampler(), Pruner.none(), 4);
            var failedOnce = java.util.concurrent.ConcurrentHashMap.<Object>newKeySet();
            study.optimize(t -> {
                if (t.number() == 5 && failedOnce.add(t.params().get("x"))) throw new IllegalStateException("flaky");
                return t.params().getDouble("x");
            }, new TrialBudget(6, 1), null, 3);
            List<FrozenTrial> trials = study.trials();
            assertEquals(7, trials.size(), "run " + run);
            assertEquals(TrialState.FAIL, trials.get(5).state());
            assertEquals(trials.get(5).params(), trials.get(6).params(), "trial 5 re-run as 6");
            assertEquals(6, trials.stream().filter(t -> t.state() == TrialState.COMPLETE).count());
        }
    }

    /** Alone on its storage, a study run to a budget gives the trials of a run of that many trials, whatever the threads. */
    @Test
    void aBudgetGivesTheTrialsOfTheSameNumberOfTrials() {
        for (int threads : new int[] {1, 3}) {
            var counted = Study.create(SPACE, Direction.MINIMIZE, new TpeSampler(), Pruner.none(), 9);
            counted.optimize(t -> t.params().getDouble("x"), 14, null, threads);
            var budgeted = Study.create(SPACE, Direction.MINIMIZE, new TpeSampler(), Pruner.none(), 9);
            budgeted.optimize(t -> t.params().getDouble("x"), new TrialBudget(14, 0), null, threads);
            assertEquals(counted.trials(), budgeted.trials(), threads + " threads");
        }
    }

    @Test
    void failedObjectiveIsRecordedWithMessageAndTheStudyContinues() {
        var study = Study.create(SPACE, Direction.MAXIMIZE, new RandomSampler(), Pruner.none(), 5);
        study.optimize(t -> {
            if (t.number() % 3 == 1) throw new IllegalStateException("diverged at trial " + t.number());
            return t.params().getDouble("x");
        }, 9, null, 1);
        var trials = study.trials();
        assertEquals(9, trials.size());
        for (var t : trials) {
            if (t.number() % 3 == 1) {
                assertEquals(TrialState.FAIL, t.state());
                assertEquals("IllegalStateException: diverged at trial " + t.number(), t.error());
                assertNull(t.value());
            } else assertEquals(TrialState.COMPLETE, t.state());
        }
        double best = trials.stream().filter(t -> t.state() == TrialState.COMPLETE).mapToDouble(FrozenTrial::value).max().orElseThrow();
        assertEquals(best, study.bestTrial().orElseThrow().value());
    }

    @Test
    void sequentialStudyIsReproducibleFromItsSeed() {
        Objective f = t -> t.params().getDouble("x");
        var a = Study.create(SPACE, Direction.MINIMIZE, new RandomSampler(), Pruner.none(), 11);
        var b = Study.create(SPACE, Direction.MINIMIZE, new RandomSampler(), Pruner.none(), 11);
        var c = Study.create(SPACE, Direction.MINIMIZE, new RandomSampler(), Pruner.none(), 12);
        a.optimize(f, 10, null, 1);
        b.optimize(f, 10, null, 1);
        c.optimize(f, 10, null, 1);
        assertEquals(a.trials(), b.trials());
        assertNotEquals(a.trials(), c.trials());
    }

    @Test
    void askTellByHandAndStateChecks() {
        var study = Study.create(SPACE, Direction.MINIMIZE, new RandomSampler(), Pruner.none(), 1);
        var t = study.ask();
        t.report(0, 3.0);
        t.report(1, 2.0);
        study.tellPruned(t);
        var frozen = study.trials().get(0);
        assertEquals(TrialState.PRUNED, frozen.state());
        assertEquals(2.0, frozen.value());
        assertThrows(IllegalStateException.class, () -> study.tell(t, 1.0));
        assertThrows(IllegalStateException.class, () -> t.report(2, 1.0));
        assertTrue(study.bestTrial().isEmpty());
    }

    /** Optuna's rule: a pruned trial's value is the value at its highest step, when that is a number. */
    @Test
    void aPrunedTrialsValueIsItsLastIntermediateValue() {
        var study = Study.create(SPACE, Direction.MINIMIZE, new RandomSampler(), Pruner.none(), 1);
        var later = study.ask();
        later.report(5, 1.5);
        later.report(2, 9.0); // reported last, but at an earlier step
        study.tellPruned(later);
        var silent = study.ask();
        study.tellPruned(silent);
        var nan = study.ask();
        nan.report(0, 1.0);
        nan.report(1, Double.NaN);
        study.tellPruned(nan);
        var trials = study.trials();
        assertEquals(1.5, trials.get(0).value());
        assertNull(trials.get(1).value(), "nothing reported");
        assertNull(trials.get(2).value(), "a NaN is no value");
        assertEquals(List.of(TrialState.PRUNED, TrialState.PRUNED, TrialState.PRUNED), trials.stream().map(FrozenTrial::state).toList());
    }

    @Test
    void onlyCompleteAndPrunedTrialsCarryAValue() {
        var steps = new java.util.TreeMap<Integer, Double>();
        assertThrows(IllegalArgumentException.class, () -> new FrozenTrial(0, Params.empty(), TrialState.PRUNED, Double.NaN, steps, null));
        assertThrows(IllegalArgumentException.class, () -> new FrozenTrial(0, Params.empty(), TrialState.FAIL, 1.0, steps, "e"));
        assertThrows(IllegalArgumentException.class, () -> new FrozenTrial(0, Params.empty(), TrialState.RUNNING, 1.0, steps, null));
        assertThrows(IllegalArgumentException.class, () -> new FrozenTrial(0, Params.empty(), TrialState.COMPLETE, null, steps, null));
        assertEquals(2.0, new FrozenTrial(0, Params.empty(), TrialState.PRUNED, 2.0, steps, null).value());
    }
}
