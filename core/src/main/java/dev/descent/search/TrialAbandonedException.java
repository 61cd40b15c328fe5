package dev.descent.search;

/**
 * A write to a trial that another worker of a shared study has already failed, because the
 * trial's heartbeat looked stale to it (this worker stalled, or lost the database for longer than
 * the grace period). The trial's outcome is then that failure: the worker drops the trial
 * without recording anything and goes on with the next one.
 */
public final class TrialAbandonedException extends IllegalStateException {
    public TrialAbandonedException(String message) {
        super(message);
    }
}
