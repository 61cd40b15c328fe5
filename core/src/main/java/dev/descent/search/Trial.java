package dev.descent.search;

import java.util.ArrayList;
import java.util.List;

/**
 * Handle to a RUNNING trial handed out by {@link Study#ask()}: its parameters are already sampled.
 * The objective reads them, {@link #report reports} intermediate values and asks
 * {@link #shouldPrune()} whether to stop.
 */
public final class Trial {
    private final Study study;
    private final int number;
    private final Params params;

    Trial(Study study, int number, Params params) {
        this.study = study;
        this.number = number;
        this.params = params;
    }

    public int number() {
        return number;
    }

    public Params params() {
        return params;
    }

    /** Records the objective's intermediate value at {@code step} (e.g. validation loss after epoch {@code step}). */
    public void report(int step, double value) {
        if (step < 0) throw new IllegalArgumentException("step must be >= 0, got " + step);
        study.storage().reportIntermediate(number, step, value);
    }

    /** Asks the study's pruner whether this trial should stop, given its reports so far. */
    public boolean shouldPrune() {
        FrozenTrial self = null;
        List<FrozenTrial> others = new ArrayList<>();
        for (FrozenTrial t : study.storage().trials()) {
            if (t.number() == number) self = t;
            else others.add(t);
        }
        if (self == null) throw new IllegalStateException("trial " + number + " is missing from the study's storage");
        return study.pruner().shouldPrune(self, others, study.direction());
    }
}
