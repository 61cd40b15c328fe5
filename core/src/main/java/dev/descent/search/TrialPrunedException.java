package dev.descent.search;

/** Thrown by an objective after {@link Trial#shouldPrune()} said yes; {@link Study#optimize} records the trial as PRUNED. */
public final class TrialPrunedException extends RuntimeException {
    public TrialPrunedException(String message) {
        super(message, null, false, false);
    }
}
