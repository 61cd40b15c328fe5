package dev.descent.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The median stopping rule (Golovin et al. 2017, "Google Vizier"), with Optuna's semantics: prune
 * a trial if its best intermediate value so far is worse than the median of the values that
 * COMPLETE trials reported at the trial's latest step.
 *
 * <p>With latest step {@code s}, best-so-far {@code b = min_{t <= s} v_t} (max when maximizing) and
 * {@code m} the median over completed trials of their value at step {@code s}, the trial is pruned
 * when {@code b > m} (minimizing) or {@code b < m} (maximizing). No pruning while fewer than
 * {@code nStartupTrials} (default 5) trials have completed, while {@code s < nWarmupSteps}
 * (default 0), when fewer than {@code nMinTrials} (default 1) completed trials reported step
 * {@code s}, or when {@code s} is not the first report in its interval: with
 * {@code p = floor((s - warmup) / interval) * interval + warmup}, the check runs only if the
 * previous report came before {@code p}. A trial whose values are all NaN is pruned; NaN values
 * of completed trials are left out of the median.
 */
public record MedianPruner(int nStartupTrials, int nWarmupSteps, int intervalSteps, int nMinTrials) implements Pruner {
    public MedianPruner {
        if (nStartupTrials < 0) throw new IllegalArgumentException("nStartupTrials must be >= 0, got " + nStartupTrials);
        if (nWarmupSteps < 0) throw new IllegalArgumentException("nWarmupSteps must be >= 0, got " + nWarmupSteps);
        if (intervalSteps < 1) throw new IllegalArgumentException("intervalSteps must be >= 1, got " + intervalSteps);
        if (nMinTrials < 1) throw new IllegalArgumentException("nMinTrials must be >= 1, got " + nMinTrials);
    }

    /** Optuna's defaults: 5 startup trials, no warmup, every step, at least one comparison value. */
    public MedianPruner() {
        this(5, 0, 1, 1);
    }

    @Override
    public boolean shouldPrune(FrozenTrial trial, List<FrozenTrial> others, Direction direction) {
        int step = trial.lastStep();
        if (step < 0) return false;
        List<FrozenTrial> completed = others.stream().filter(t -> t.state() == TrialState.COMPLETE).toList();
        if (completed.size() < nStartupTrials) return false;
        if (step < nWarmupSteps) return false;
        if (!firstInInterval(trial, step)) return false;

        double best = Double.NaN;
        for (double v : trial.intermediate().values())
            if (!Double.isNaN(v) && (Double.isNaN(best) || direction.better(v, best))) best = v;
        if (Double.isNaN(best)) return true;

        List<Double> atStep = new ArrayList<>();
        for (FrozenTrial t : completed) {
            Double v = t.intermediate().get(step);
            if (v != null && !v.isNaN()) atStep.add(v);
        }
        if (atStep.size() < nMinTrials) return false;
        return direction.better(median(atStep), best);
    }

    private boolean firstInInterval(FrozenTrial trial, int step) {
        int nearestLowerPruningStep = (step - nWarmupSteps) / intervalSteps * intervalSteps + nWarmupSteps;
        int previous = -1;
        for (Map.Entry<Integer, Double> e : trial.intermediate().entrySet()) if (e.getKey() != step) previous = Math.max(previous, e.getKey());
        return previous < nearestLowerPruningStep;
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    }
}
