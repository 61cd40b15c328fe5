package dev.descent.search;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A snapshot of one trial, as samplers and pruners see it.
 *
 * @param number       0-based position of the trial in its study
 * @param params       the sampled hyperparameters
 * @param state        where the trial is in its life cycle
 * @param value        objective value: always for a COMPLETE trial; for a PRUNED one its last
 *                     intermediate value, as Optuna records it (null when it reported none, or
 *                     when that value is NaN); null for RUNNING and FAIL trials
 * @param intermediate intermediate values by step, as reported
 * @param error        why a FAIL trial failed; null otherwise
 */
public record FrozenTrial(int number, Params params, TrialState state, Double value, SortedMap<Integer, Double> intermediate, String error) {
    public FrozenTrial {
        if (number < 0) throw new IllegalArgumentException("trial number must be >= 0, got " + number);
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(state, "state");
        if (state == TrialState.COMPLETE && (value == null || value.isNaN()))
            throw new IllegalArgumentException("COMPLETE trial " + number + " needs a value, got " + value);
        if (state == TrialState.PRUNED && value != null && value.isNaN())
            throw new IllegalArgumentException("PRUNED trial " + number + " has a NaN value; a pruned trial without a usable value has none");
        if ((state == TrialState.RUNNING || state == TrialState.FAIL) && value != null)
            throw new IllegalArgumentException(state + " trial " + number + " cannot have a value, got " + value);
        if (state == TrialState.FAIL && error == null) throw new IllegalArgumentException("FAIL trial " + number + " needs an error message");
        intermediate = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(intermediate, "intermediate")));
    }

    /** A RUNNING trial without params or reports, as freshly created. */
    public static FrozenTrial running(int number) {
        return new FrozenTrial(number, Params.empty(), TrialState.RUNNING, null, new TreeMap<>(), null);
    }

    /** Last reported step, or -1 when nothing was reported. */
    public int lastStep() {
        return intermediate.isEmpty() ? -1 : intermediate.lastKey();
    }

    /** Copy with other params (the record is immutable). */
    public FrozenTrial withParams(Params p) {
        return new FrozenTrial(number, p, state, value, intermediate, error);
    }

    /** Copy with one more intermediate value; reporting a step twice keeps the first value, as Optuna does. */
    public FrozenTrial withIntermediate(int step, double v) {
        if (intermediate.containsKey(step)) return this;
        TreeMap<Integer, Double> m = new TreeMap<>(intermediate);
        m.put(step, v);
        return new FrozenTrial(number, params, state, value, m, error);
    }

    public FrozenTrial finish(TrialState s, Double v, String err) {
        return new FrozenTrial(number, params, s, v, intermediate, err);
    }
}
