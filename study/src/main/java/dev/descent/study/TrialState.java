package dev.descent.study;

/**
 * Where a trial is in its life. A trial is created {@link #RUNNING} and finished exactly once into
 * one of the other states; finished trials are never modified again.
 */
public enum TrialState {
    /** Created and not finished yet: being evaluated, or left behind by a process that died. */
    RUNNING,
    /** Evaluated to the end; has an objective value. */
    COMPLETE,
    /** Stopped early by a pruner; its value, if any, is the last intermediate one. */
    PRUNED,
    /** Raised an error or was interrupted; never counted as a result. */
    FAIL;

    /** True for the states a trial can be finished into. */
    public boolean isFinished() {
        return this != RUNNING;
    }
}
