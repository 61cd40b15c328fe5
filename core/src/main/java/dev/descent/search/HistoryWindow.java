package dev.descent.search;

import java.util.ArrayList;
import java.util.List;

/**
 * Which trials a trial learns from when {@code P} trials run at once, chosen so that it does not
 * depend on which trial happened to finish first: trial {@code n} sees the outcome of exactly the
 * trials numbered {@code 0 .. n - P} (its <em>horizon</em> is {@code n - P}), after waiting for any
 * of them still running. Those are the trials a lock-step schedule would have finished when
 * {@code n} starts: with {@code P} workers, trials {@code n - P + 1 .. n - 1} are still running
 * then. Trials above the horizon are shown to the sampler as RUNNING with their parameters only
 * (so a grid sampler still skips their points), even if they have finished, and are left out of
 * what the pruner compares with. With {@code P = 1} the horizon is {@code n - 1}: the ordinary
 * sequential history, unchanged.
 */
final class HistoryWindow {
    private HistoryWindow() {}

    /** The highest trial number whose outcome trial {@code number} may see. */
    static int horizon(int number, int parallel) {
        return number - parallel;
    }

    /** The trials as a trial with this horizon sees them: those above it reduced to RUNNING with their parameters. */
    static List<FrozenTrial> view(List<FrozenTrial> trials, int horizon) {
        List<FrozenTrial> out = new ArrayList<>(trials.size());
        for (FrozenTrial t : trials) out.add(t.number() <= horizon ? t : FrozenTrial.running(t.number()).withParams(t.params()));
        return out;
    }

    /** The other trials within the horizon: what a pruner compares a trial with. */
    static List<FrozenTrial> others(List<FrozenTrial> trials, int number, int horizon) {
        List<FrozenTrial> out = new ArrayList<>();
        for (FrozenTrial t : trials) if (t.number() != number && t.number() <= horizon) out.add(t);
        return out;
    }
}
