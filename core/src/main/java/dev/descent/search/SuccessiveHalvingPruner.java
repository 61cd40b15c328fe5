package dev.descent.search;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

/**
 * Asynchronous successive halving, ASHA (Li, Jamieson, Rostamizadeh, Gonina, Ben-Tzur, Hardt,
 * Recht and Talwalkar 2020, "A System for Massively Parallel Hyperparameter Tuning", MLSys), as
 * Optuna implements it for trials that cannot be paused.
 *
 * <p>Rung {@code k} sits at resource (step) {@code r_k = minResource * eta^(minEarlyStoppingRate + k)}.
 * When a trial first reports a step {@code >= r_k}, that value is its rung-{@code k} value, and it
 * is compared, right then, with the rung-{@code k} values of every trial it may see (see
 * {@link Pruner}) that has reached the rung (itself included, whatever their state): it
 * continues if it is among the top {@code floor(n / eta)} of those {@code n} values, and is
 * pruned otherwise. Until {@code eta}
 * trials have reached a rung, only the best so far continues (Optuna's rule, since a trial cannot
 * wait for promotion). Between rungs there is nothing to decide. Being asynchronous, a decision
 * uses only what is known when it is made; later trials never revoke an earlier promotion.
 *
 * <p>Stateless: a trial's rung-{@code k} value is read back as its value at its first reported step
 * {@code >= r_k}, which is what Optuna records when {@code shouldPrune} follows every report.
 */
public record SuccessiveHalvingPruner(int minResource, int reductionFactor, int minEarlyStoppingRate) implements Pruner {
    public SuccessiveHalvingPruner {
        if (minResource < 1) throw new IllegalArgumentException("minResource must be >= 1, got " + minResource);
        if (reductionFactor < 2) throw new IllegalArgumentException("reductionFactor must be >= 2, got " + reductionFactor);
        if (minEarlyStoppingRate < 0) throw new IllegalArgumentException("minEarlyStoppingRate must be >= 0, got " + minEarlyStoppingRate);
    }

    /** Optuna's defaults for the rest: reduction factor 4, min early-stopping rate 0. */
    public SuccessiveHalvingPruner(int minResource) {
        this(minResource, 4, 0);
    }

    /** Step of rung {@code k}, saturating instead of overflowing for far rungs. */
    long rungStep(int k) {
        long s = minResource;
        for (int i = 0; i < minEarlyStoppingRate + k; i++) {
            if (s > Integer.MAX_VALUE) return Long.MAX_VALUE;
            s *= reductionFactor;
        }
        return s;
    }

    @Override
    public boolean shouldPrune(FrozenTrial trial, List<FrozenTrial> others, Direction direction) {
        int step = trial.lastStep();
        if (step < 0) return false;
        double value = trial.intermediate().get(step);
        for (int k = 0; rungStep(k) <= step; k++) {
            long rung = rungStep(k);
            // Only the rungs this very report crossed are decided now; earlier ones were decided earlier.
            if (firstStepAtOrAfter(trial, rung) != step) continue;
            if (Double.isNaN(value)) return true;
            List<Double> competing = new ArrayList<>();
            competing.add(value);
            for (FrozenTrial t : others) {
                int s = firstStepAtOrAfter(t, rung);
                if (s >= 0) {
                    double v = t.intermediate().get(s);
                    if (!Double.isNaN(v)) competing.add(v);
                }
            }
            if (!promotable(value, competing, direction)) return true;
        }
        return false;
    }

    private static int firstStepAtOrAfter(FrozenTrial t, long rung) {
        if (rung > Integer.MAX_VALUE) return -1;
        SortedMap<Integer, Double> tail = t.intermediate().tailMap((int) rung);
        return tail.isEmpty() ? -1 : tail.firstKey();
    }

    /** In the top {@code max(1, floor(n / eta))} of {@code competing} (ties promote). */
    private boolean promotable(double value, List<Double> competing, Direction direction) {
        List<Double> losses = new ArrayList<>();
        for (double v : competing) losses.add(direction.asLoss(v));
        losses.sort(null);
        int index = Math.max(0, competing.size() / reductionFactor - 1);
        return direction.asLoss(value) <= losses.get(index);
    }
}
