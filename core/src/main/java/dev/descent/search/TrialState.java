package dev.descent.search;

/**
 * Life cycle of a trial: RUNNING until told, then COMPLETE (with a value), PRUNED (with its last
 * intermediate value, if it has one) or FAIL (with an error message).
 */
public enum TrialState {
    RUNNING,
    COMPLETE,
    PRUNED,
    FAIL;

    public boolean finished() {
        return this != RUNNING;
    }
}
