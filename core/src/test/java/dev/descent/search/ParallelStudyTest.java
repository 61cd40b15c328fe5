package dev.descent.search;

import static dev.descent.search.Dimension.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Studies with several threads are reproducible: with P threads trial n learns from exactly trials
 * 0..n-P (HistoryWindow), so the trials do not depend on which one finished first.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ParallelStudyTest {
    static final SearchSpace SPACE = SearchSpace.of(
            Parameter.of("lr", logUniform(1e-4, 1e-1)),
            Parameter.of("opt", categorical("sgd", "adam")),
            Parameter.of("mom", uniform(0, 0.99), Condition.when("opt", "sgd")),
            Parameter.of("units", intRange(16, 128, 16)));

    /**
     * A learning curve over five steps, reported to the pruner, that depends only on the params;
     * before each step it sleeps {@code sleepMs(n)} ms, so the test decides which trials finish
     * first.
     */
    static Objective curve(IntUnaryOperator sleepMs, List<Integer> finishOrder) {
        return t -> {
            Params p = t.params();
            double base = Math.pow(Math.log10(p.getDouble("lr")) + 2.5, 2) + Math.abs(p.getInt("units") - 64) / 64.0
                    + (p.getString("opt").equals("sgd") ? 0.5 - 0.4 * p.getDouble("mom") : 0.1);
            double v = Double.NaN;
            try {
                for (int step = 0; step < 5; step++) {
                    Thread.sleep(sleepMs.applyAsInt(t.number()));
                    v = base + 1.0 / (step + 1);
                    t.report(step, v);
                    if (t.shouldPrune()) throw new TrialPrunedException("pruned at step " + step);
                }
            } finally {
                finishOrder.add(t.number());
            }
            return v;
        };
    }

    static Study tpe(long seed) {
        return Study.create(SPACE, Direction.MINIMIZE, new TpeSampler(), new MedianPruner(3, 1, 1, 1), seed);
    }

    /** Whether some trial finished before a lower-numbered one. */
    static boolean outOfOrder(List<Integer> finishOrder) {
        for (int i = 1; i < finishOrder.size(); i++) if (finishOrder.get(i) < finishOrder.get(i - 1)) return true;
        return false;
    }

    /**
     * The same TPE study with the median pruner, run twice with P = 2 and P = 3: once with the even
     * trials slow, once with the odd ones slow (plus random jitter), so the trials finish in
     * different orders, gives the same params, states, values and reports for every trial number.
     * 30 trials are well past TPE's 10 startup trials and the pruner's 3, so both learn.
     */
    @Test
    void tpeWithParallelTrialsIsReproducible() {
        for (int parallel : new int[] {2, 3}) {
            List<Integer> orderA = Collections.synchronizedList(new ArrayList<>()), orderB = Collections.synchronizedList(new ArrayList<>());
            Study a = tpe(17), b = tpe(17);
            a.optimize(curve(n -> (n % 2 == 0 ? 6 : 0) + ThreadLocalRandom.current().nextInt(3), orderA), 30, null, parallel);
            b.optimize(curve(n -> (n % 2 == 1 ? 6 : 0) + ThreadLocalRandom.current().nextInt(3), orderB), 30, null, parallel);
            assertNotEquals(orderA, orderB, "the runs finished their trials in different orders");
            assertTrue(outOfOrder(orderA) || outOfOrder(orderB), "some trial finished before an earlier one: " + orderA + " " + orderB);
            assertEquals(30, a.trials().size());
            assertEquals(a.trials(), b.trials(), "P = " + parallel);
            assertTrue(a.trials().stream().anyMatch(t -> t.state() == TrialState.PRUNED), "the pruner took part");
        }
    }

    /**
     * One thread is the ordinary sequential study: optimize gives exactly the trials of a hand-run
     * ask/tell loop, where every trial sees every earlier one.
     */
    @Test
    void oneThreadIsTheSequentialAskTellLoop() throws Exception {
        Objective f = curve(n -> 0, Collections.synchronizedList(new ArrayList<>()));
        Study optimized = tpe(5);
        optimized.optimize(f, 25, null, 1);
        Study byHand = tpe(5);
        for (int i = 0; i < 25; i++) {
            Trial t = byHand.ask();
            try {
                byHand.tell(t, f.evaluate(t));
            } catch (TrialPrunedException e) {
                byHand.tellPruned(t);
            }
        }
        assertEquals(byHand.trials(), optimized.trials());
    }

    /** A sampler that records, for each trial number, the trials it saw finished and the numbers it saw at all. */
    static final class Recording implements Sampler {
        final Map<Integer, List<Integer>> finished = new ConcurrentHashMap<>(), seen = new ConcurrentHashMap<>();

        @Override
        public Map<String, Object> sample(SearchSpace space, List<FrozenTrial> history, Direction direction, SplittableRandom rng) {
            int number = history.size(); // every earlier trial is in the history, so its size is the new trial's number
            finished.put(number, history.stream().filter(t -> t.state().finished()).map(FrozenTrial::number).toList());
            seen.put(number, history.stream().filter(t -> t.params().has("lr")).map(FrozenTrial::number).toList());
            return new RandomSampler().sample(space, history, direction, rng);
        }
    }

    /** A pruner that records, on every call, which trials the trial was compared with and whether all had finished. */
    static final class RecordingPruner implements Pruner {
        final Map<Integer, List<String>> calls = new ConcurrentHashMap<>();

        @Override
        public boolean shouldPrune(FrozenTrial trial, List<FrozenTrial> others, Direction direction) {
            String call = others.stream().map(FrozenTrial::number).toList() + (others.stream().allMatch(t -> t.state().finished()) ? "" : " not all finished");
            calls.computeIfAbsent(trial.number(), n -> Collections.synchronizedList(new ArrayList<>())).add(call);
            return false;
        }
    }

    /**
     * The rule itself: with P = 3, trial n's sampler sees trials 0..n-3 finished and n-2, n-1 with
     * their params but not finished, and its pruner compares it with trials 0..n-3 only, all
     * finished, on every report. Odd trials are slow, so later trials often finish first.
     */
    @Test
    void trialNLearnsFromExactlyTrialsUpToNMinusP() {
        int parallel = 3;
        Recording sampler = new Recording();
        RecordingPruner pruner = new RecordingPruner();
        Study study = Study.create(SPACE, Direction.MINIMIZE, sampler, pruner, 3);
        study.optimize(curve(n -> n % 2 == 1 ? 5 : 0, Collections.synchronizedList(new ArrayList<>())), 20, null, parallel);
        for (int n = 0; n < 20; n++) {
            List<Integer> upToHorizon = IntStream.rangeClosed(0, n - parallel).boxed().toList();
            assertEquals(upToHorizon, sampler.finished.get(n), "trial " + n + " saw finished");
            assertEquals(IntStream.range(0, n).boxed().toList(), sampler.seen.get(n), "trial " + n + " saw the params of every earlier trial");
            assertEquals(Collections.nCopies(5, upToHorizon.toString()), pruner.calls.get(n), "trial " + n + " at each of its 5 reports was compared with");
        }
    }

    /**
     * Continuing a study that ended normally gives what one longer run would have: after 12
     * trials the next call's trial 12 sees trials 0..10 finished and 11 as running, as in the
     * longer run.
     */
    @Test
    void extendingAStudyGivesTheTrialsOfALongerRun() {
        Study once = tpe(23), twice = tpe(23);
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        once.optimize(curve(n -> n % 3, order), 24, null, 2);
        twice.optimize(curve(n -> n % 3, order), 12, null, 2);
        twice.optimize(curve(n -> 2 - n % 3, order), 12, null, 2);
        assertEquals(once.trials(), twice.trials());
    }

    /** A worker that dies (an Error the study does not record) stops the others from starting trials; the call fails. */
    @Test
    void aDeadWorkerStopsTheRun() {
        Study study = Study.create(SPACE, Direction.MINIMIZE, new TpeSampler(), Pruner.none(), 1);
        var e = assertThrows(IllegalStateException.class, () -> study.optimize(t -> {
            if (t.number() == 0) throw new InternalError("boom");
            Thread.sleep(200);
            return 1.0;
        }, 50, null, 2));
        assertInstanceOf(InternalError.class, e.getCause());
        assertTrue(study.trials().size() <= 2, "no trial starts after the failure: " + study.trials().size());
    }
}
