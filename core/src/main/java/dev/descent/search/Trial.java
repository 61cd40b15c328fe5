package dev.descent.search;

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
    // The highest trial number this trial's pruner may compare with (HistoryWindow).
    private final int horizon;

    Trial(Study study, int number, Params params, int horizon) {
        this.study = study;
        this.number = number;
        this.params = params;
        this.horizon = horizon;
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

    /**
     * Asks the study's pruner whether this trial should stop, given its reports so far and the
     * other trials it may see: in {@link Study#optimize} with {@code P} threads, trials
     * {@code 0 .. n - P} (all finished by then), so the answer does not depend on timing; for a
     * trial asked by hand, every other trial as it is now.
     */
    public boolean shouldPrune() {
        List<FrozenTrial> all = study.storage().trials();
        FrozenTrial self = null;
        for (FrozenTrial t : all) if (t.number() == number) self = t;
        if (self == null) throw new IllegalStateException("trial " + number + " is missing from the study's storage");
        return study.pruner().shouldPrune(self, HistoryWindow.others(all, number, horizon), study.direction());
    }
}
