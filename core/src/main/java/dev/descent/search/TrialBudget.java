package dev.descent.search;

/**
 * How many trials a study runs, counted in its storage so that every worker of a shared study
 * (threads, processes, machines) stops at the same total.
 *
 * <p>{@code total} counts the study's trials in every state, except a failed trial that was
 * re-run: with {@code retryFailed = R}, a FAIL trial (an error, or interrupted: its worker died)
 * is re-run with the same parameters as a new trial, up to R times in a row, and the re-run takes
 * its place in the count. So an interrupted study does not spend its budget on the trials its
 * dead workers left behind.
 *
 * @param total       the study's total, {@link Integer#MAX_VALUE} for no limit (a timeout then ends the study)
 * @param retryFailed how many times a failed trial's parameters are re-run, 0 for never
 */
public record TrialBudget(int total, int retryFailed) {
    public TrialBudget {
        if (total < 0) throw new IllegalArgumentException("total must be >= 0, got " + total);
        if (retryFailed < 0) throw new IllegalArgumentException("retryFailed must be >= 0, got " + retryFailed);
    }
}
