package dev.descent.search;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PrunerTest {
    /** A trial with the given curve: values[s] reported at step s (null = not reported). */
    static FrozenTrial curve(int number, TrialState state, Double... values) {
        var m = new TreeMap<Integer, Double>();
        for (int s = 0; s < values.length; s++) if (values[s] != null) m.put(s, values[s]);
        Double value = state == TrialState.COMPLETE ? m.lastEntry().getValue() : null;
        return new FrozenTrial(number, Params.empty(), state, value, m, state == TrialState.FAIL ? "x" : null);
    }

    /** Completed learning curves c_i(s) = i + 1/(s+1), i = 0..n-1: the median at step s is (n-1)/2 + 1/(s+1). */
    static List<FrozenTrial> completed(int n) {
        List<FrozenTrial> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(curve(i, TrialState.COMPLETE, i + 1.0, i + 0.5, i + 1.0 / 3));
        return out;
    }

    @Test
    void medianPrunesACurveWorseThanTheMedianAtItsStep() {
        var pruner = new MedianPruner();
        var history = completed(5); // median 3.0 at step 0, 2.5 at step 1
        assertTrue(pruner.shouldPrune(curve(9, TrialState.RUNNING, 3.5), history, Direction.MINIMIZE));
        assertFalse(pruner.shouldPrune(curve(9, TrialState.RUNNING, 3.0), history, Direction.MINIMIZE), "equal to the median is not worse");
        assertFalse(pruner.shouldPrune(curve(9, TrialState.RUNNING, 1.0), history, Direction.MINIMIZE));
        assertTrue(pruner.shouldPrune(curve(9, TrialState.RUNNING, 2.9, 2.7), history, Direction.MINIMIZE), "best 2.7 > median 2.5 at step 1");
        // Best-so-far: a good early value protects a trial whose latest value is bad (Optuna's rule).
        assertFalse(pruner.shouldPrune(curve(9, TrialState.RUNNING, 0.5, 100.0), history, Direction.MINIMIZE));
        // Maximizing mirrors it: a value below the median is worse.
        assertTrue(pruner.shouldPrune(curve(9, TrialState.RUNNING, 2.5), history, Direction.MAXIMIZE));
        assertFalse(pruner.shouldPrune(curve(9, TrialState.RUNNING, 3.5), history, Direction.MAXIMIZE));
    }

    @Test
    void medianWaitsForStartupTrialsWarmupAndInterval() {
        var bad = curve(9, TrialState.RUNNING, 50.0, 50.0, 50.0);
        // Only COMPLETE trials count toward the startup: 4 complete + running/pruned ones do not suffice.
        var four = new ArrayList<>(completed(4));
        four.add(curve(4, TrialState.RUNNING, 0.0, 0.0, 0.0));
        four.add(curve(5, TrialState.PRUNED, 0.0));
        assertFalse(new MedianPruner().shouldPrune(bad, four, Direction.MINIMIZE));
        assertTrue(new MedianPruner().shouldPrune(bad, completed(5), Direction.MINIMIZE));

        assertFalse(new MedianPruner(5, 3, 1, 1).shouldPrune(bad, completed(5), Direction.MINIMIZE), "step 2 is inside the 3 warmup steps");
        assertTrue(new MedianPruner(5, 2, 1, 1).shouldPrune(bad, completed(5), Direction.MINIMIZE));

        // interval 2: steps 0 and 2 are checked; a report at step 1 right after step 0 is not.
        var interval = new MedianPruner(5, 0, 2, 1);
        assertFalse(interval.shouldPrune(curve(9, TrialState.RUNNING, 50.0, 50.0), completed(5), Direction.MINIMIZE));
        assertTrue(interval.shouldPrune(curve(9, TrialState.RUNNING, 50.0, 50.0, 50.0), completed(5), Direction.MINIMIZE));

        // No completed trial reported step 5: nothing to compare with.
        assertFalse(new MedianPruner().shouldPrune(curve(9, TrialState.RUNNING, null, null, null, null, null, 50.0), completed(5), Direction.MINIMIZE));
        assertTrue(new MedianPruner().shouldPrune(curve(9, TrialState.RUNNING, Double.NaN), completed(5), Direction.MINIMIZE));
    }

    @Test
    void ashaPromotesExactlyTheTopOneOverEtaAtARung() {
        var asha = new SuccessiveHalvingPruner(1, 3, 0); // rungs at steps 1, 3, 9, ...
        // 12 trials reached rung 0 (step 1) with values 0..11 in a scrambled order.
        double[] values = {7, 2, 11, 0, 5, 9, 1, 10, 3, 8, 4, 6};
        List<FrozenTrial> all = new ArrayList<>();
        for (int i = 0; i < values.length; i++) all.add(curve(i, TrialState.RUNNING, 20.0, values[i]));
        List<Double> promoted = new ArrayList<>();
        for (FrozenTrial t : all) {
            var others = new ArrayList<>(all);
            others.remove(t);
            if (!asha.shouldPrune(t, others, Direction.MINIMIZE)) promoted.add(t.intermediate().get(1));
        }
        promoted.sort(null);
        assertEquals(List.of(0.0, 1.0, 2.0, 3.0), promoted, "top 12/3 = 4 continue");
        // The same when maximizing: the 4 largest.
        promoted.clear();
        for (FrozenTrial t : all) {
            var others = new ArrayList<>(all);
            others.remove(t);
            if (!asha.shouldPrune(t, others, Direction.MAXIMIZE)) promoted.add(t.intermediate().get(1));
        }
        promoted.sort(null);
        assertEquals(List.of(8.0, 9.0, 10.0, 11.0), promoted);
    }

    @Test
    void ashaDecidesOnlyWhenARungIsReachedWithWhatIsKnownThen() {
        var asha = new SuccessiveHalvingPruner(2, 2, 0); // rungs at steps 2, 4, 8
        // The first trial at a rung is alone, hence the best so far: it continues.
        assertFalse(asha.shouldPrune(curve(0, TrialState.RUNNING, 9.0, 9.0, 9.0), List.of(), Direction.MINIMIZE));
        var others = List.of(curve(0, TrialState.COMPLETE, 1.0, 1.0, 1.0, 1.0, 1.0), curve(1, TrialState.PRUNED, 5.0, 5.0, 5.0));
        // Before the first rung there is nothing to decide, however bad the value.
        assertFalse(asha.shouldPrune(curve(2, TrialState.RUNNING, 99.0), others, Direction.MINIMIZE));
        // At rung 0 (step 2): competing {1, 5, v}; top floor(3/2) = 1 continues.
        assertTrue(asha.shouldPrune(curve(2, TrialState.RUNNING, 0.0, 0.0, 3.0), others, Direction.MINIMIZE));
        assertFalse(asha.shouldPrune(curve(2, TrialState.RUNNING, 0.0, 0.0, 0.5), others, Direction.MINIMIZE));
        // Step 3 lies between rungs: a promoted trial is not re-judged at rung 0, even if it got worse.
        assertFalse(asha.shouldPrune(curve(2, TrialState.RUNNING, 0.0, 0.0, 0.5, 50.0), others, Direction.MINIMIZE));
        // At rung 1 (step 4) it meets only trial 0's value 1.0 there: 2 competitors, top 1 continues.
        assertTrue(asha.shouldPrune(curve(2, TrialState.RUNNING, 0.0, 0.0, 0.5, 50.0, 2.0), others, Direction.MINIMIZE));
        assertFalse(asha.shouldPrune(curve(2, TrialState.RUNNING, 0.0, 0.0, 0.5, 50.0, 0.9), others, Direction.MINIMIZE));
        // minEarlyStoppingRate 1 moves the first rung to minResource * eta = 4.
        assertFalse(new SuccessiveHalvingPruner(2, 2, 1).shouldPrune(curve(2, TrialState.RUNNING, 0.0, 0.0, 3.0), others, Direction.MINIMIZE));
        assertEquals(4, new SuccessiveHalvingPruner(2, 2, 1).rungStep(0));
        assertEquals(16, new SuccessiveHalvingPruner(2, 2, 1).rungStep(2));
    }

    @Test
    void studyPrunesBadCurvesThroughTrialShouldPrune() {
        var space = SearchSpace.of(Parameter.of("quality", Dimension.uniform(0, 1)));
        var study = Study.create(space, Direction.MINIMIZE, new RandomSampler(), new MedianPruner(), 17);
        study.optimize(t -> {
            double q = t.params().getDouble("quality");
            double loss = Double.NaN;
            for (int step = 0; step < 10; step++) {
                loss = q + 1.0 / (step + 1);
                t.report(step, loss);
                if (t.shouldPrune()) throw new TrialPrunedException("pruned at step " + step);
            }
            return loss;
        }, 40, null, 1);
        var trials = study.trials();
        long pruned = trials.stream().filter(t -> t.state() == TrialState.PRUNED).count();
        assertTrue(pruned >= 5, "expected several pruned trials, got " + pruned);
        for (var t : trials.subList(0, 5)) assertEquals(TrialState.COMPLETE, t.state(), "startup trials are never pruned");
        for (var t : trials) {
            if (t.state() == TrialState.PRUNED) {
                assertTrue(t.intermediate().size() < 10);
                assertEquals(t.intermediate().get(t.lastStep()), t.value());
            }
        }
        double bestPrunedQuality = trials.stream().filter(t -> t.state() == TrialState.PRUNED).mapToDouble(t -> t.params().getDouble("quality")).min().orElseThrow();
        double bestQuality = trials.stream().mapToDouble(t -> t.params().getDouble("quality")).min().orElseThrow();
        assertTrue(bestPrunedQuality > bestQuality, "the best configuration must not be pruned");
    }
}
