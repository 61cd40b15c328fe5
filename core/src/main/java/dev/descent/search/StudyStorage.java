package dev.descent.search;

import java.util.List;

/**
 * Where a study keeps its trials. Implementations must be thread-safe: {@link Study#optimize}
 * runs trials on several threads that report and finish concurrently. An in-memory
 * implementation is {@link InMemoryStudyStorage}; durable ones live outside this leaf package.
 */
public interface StudyStorage {
    /** Creates a RUNNING trial with no params and returns its number (0, 1, 2, ... in creation order). */
    int createTrial();

    void setParams(int number, Params params);

    /** Records the intermediate value of a running trial at a step; a repeated step keeps the first value. */
    void reportIntermediate(int number, int step, double value);

    /** Moves a RUNNING trial to a finished state. IllegalStateException if it already finished. */
    void finish(int number, TrialState state, Double value, String error);

    FrozenTrial trial(int number);

    /** Snapshot of all trials in number order. */
    List<FrozenTrial> trials();
}
