package dev.descent.search;

import java.util.List;

/**
 * Decides from intermediate values whether a running trial should stop early.
 *
 * <p>Called by {@link Trial#shouldPrune()} after the trial's latest {@link Trial#report report};
 * {@code trial} is that trial's current snapshot and {@code others} the other trials it may be
 * compared with: in {@link Study#optimize} with {@code P} threads, trials {@code 0 .. n - P} of
 * trial {@code n}, all finished, so the decision does not depend on timing (a trial still running
 * alongside is not compared with, even where Optuna's pruners would); for a trial asked by hand,
 * every other trial. Pruners are stateless: the decision is a function of these snapshots, so it
 * can be replayed.
 */
@FunctionalInterface
public interface Pruner {
    boolean shouldPrune(FrozenTrial trial, List<FrozenTrial> others, Direction direction);

    /** A pruner that never prunes. */
    static Pruner none() {
        return (trial, others, direction) -> false;
    }
}
