package dev.descent.search;

/**
 * How many trials a study runs, counted in its storage so that every worker of a shared study
 * (threads, processes, machines) stops at the same total.
 *
 * <p>{@code total} counts the study's trials in every state, except a failed trial that was
 * re-run: with {@code retryFailed = R}, a FAIL trial (an error, or interrupted: its worker died)
 * is re-run with the same parameters as a new trial, up to R times in a row, and the re-run takes
 * its place in the count. A failed trial without parameters (its worker died between creating
 * it and storing what it sampled, or the sampler had nothing left) never ran: with R > 0 it does
 * not count either, and a new trial takes its place. So an interrupted study does not spend its
 * budget on the trials its dead workers left behind.
 *
 * <p>Failed trials are re-run in number order by the first ask whose history window shows them
 * ({@link HistoryWindow}); once the budget is otherwise spent, an ask waits for its own call's
 * trials to finish and then re-runs any failed trial left, so none is left behind above the window.
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
