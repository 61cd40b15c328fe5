package dev.descent.search;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where a study keeps its trials. Implementations must be thread-safe: {@link Study#optimize}
 * runs trials on several threads that report and finish concurrently. An in-memory
 * implementation is {@link InMemoryStudyStorage}; durable ones live outside this leaf package.
 */
public interface StudyStorage {
    /** Creates a RUNNING trial with no params and returns its number (0, 1, 2, ... in creation order). */
    int createTrial();

    /**
     * A trial created by {@link #createTrial(TrialBudget, int)}.
     *
     * @param number  its number
     * @param retried the parameters it re-runs (already stored with it) when it retries a failed
     *                trial; null when it is new and its parameters are still to be sampled
     */
    record NewTrial(int number, Params retried) {}

    /**
     * Creates the study's next trial within the budget, as one atomic step for every worker that
     * shares the storage: first a re-run of the lowest-numbered failed trial numbered at most
     * {@code retryUpTo} that may still be retried ({@link TrialBudget}), with its parameters;
     * otherwise a new RUNNING trial without parameters, if the study counts fewer than
     * {@code budget.total()} trials ({@link TrialBudget} says which count). A shared storage also
     * fails, first, the trials whose workers have stopped sending heartbeats.
     *
     * @return the trial, or empty when the budget is spent
     */
    Optional<NewTrial> createTrial(TrialBudget budget, int retryUpTo);

    /**
     * How often a worker whose budget is spent looks again at the trials other workers are still
     * running (they may finish, or fail by heartbeat and be re-run); empty when no other worker
     * can run this study's trials (in memory), so there is nothing to wait for.
     */
    default Optional<Duration> sharedPollInterval() {
        return Optional.empty();
    }

    void setParams(int number, Params params);

    /** Records the intermediate value of a running trial at a step; a repeated step keeps the first value. */
    void reportIntermediate(int number, int step, double value);

    /** Moves a RUNNING trial to a finished state. IllegalStateException if it already finished. */
    void finish(int number, TrialState state, Double value, String error);

    FrozenTrial trial(int number);

    /** Snapshot of all trials in number order. */
    List<FrozenTrial> trials();
}
