package dev.descent.search;

import java.util.List;

/**
 * Decides from intermediate values whether a running trial should stop early.
 *
 * <p>Called by {@link Trial#shouldPrune()} after the trial's latest {@link Trial#report report};
 * {@code trial} is that trial's current snapshot and {@code others} every other trial of the study.
 * Pruners are stateless: the decision is a function of these snapshots, so it can be replayed.
 */
@FunctionalInterface
public interface Pruner {
    boolean shouldPrune(FrozenTrial trial, List<FrozenTrial> others, Direction direction);

    /** A pruner that never prunes. */
    static Pruner none() {
        return (trial, others, direction) -> false;
    }
}
