package dev.descent.search;

/** What a study optimizes: trains/evaluates with {@code trial.params()} and returns the value. May throw {@link TrialPrunedException}. */
@FunctionalInterface
public interface Objective {
    double evaluate(Trial trial) throws Exception;
}
