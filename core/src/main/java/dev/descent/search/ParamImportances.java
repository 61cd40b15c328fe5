package dev.descent.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;

/**
 * How much each hyperparameter matters to the objective, as Optuna's
 * {@code optuna.importance.get_param_importances} reports it with its default fANOVA evaluator:
 * <pre>{@code
 * SequencedMap<String, Double> importance = ParamImportances.compute(study);
 * // {optimizer.lr=0.71, train.batch_size=0.18, optimizer.name=0.11}: sums to 1, largest first
 * }</pre>
 *
 * <p>Which trials and parameters count, as in Optuna:
 * <ul>
 *   <li>the COMPLETE trials with a finite value (at least 2);
 *   <li>the parameters set in every one of them (the intersection search space). A conditional
 *       parameter is therefore left out unless its condition held in every completed trial: in
 *       the other trials it has no value, and fANOVA needs one for every trial. Ask Optuna the
 *       same study and it leaves out the same parameters.
 * </ul>
 *
 * <p>Each parameter's {@link FanovaImportance fANOVA} variance fraction is divided by their sum,
 * so the importances sum to 1. When the forest explains no variance at all (the objective was the
 * same in every trial, or no parameter took two values), every parameter gets {@code 1/n}, as
 * Optuna's normalization does.
 *
 * <p>Where this differs from Optuna: log-scale parameters are analysed on the log scale (Optuna's
 * fANOVA integrates a log-uniform learning rate uniformly over its raw range, which weights its
 * top decade 10 times the one below, although the sampler draws each decade equally often), and
 * categorical parameters are split by category subsets in one column rather than as one-hot
 * columns (whose box also holds "no category" and "two categories" points). Both follow the
 * paper, which integrates over the space as it is sampled, and its reference implementation. The
 * numbers therefore agree with Optuna's in ranking on clear cases, not digit for digit (the
 * forests' random draws differ anyway).
 */
public final class ParamImportances {
    /** Seed used when none is given, so that a report shows the same numbers each time it is written. */
    public static final long DEFAULT_SEED = 0;

    private ParamImportances() {}

    /** Importances of the study's parameters with Optuna's fANOVA defaults and {@link #DEFAULT_SEED}. */
    public static SequencedMap<String, Double> compute(Study study) {
        return compute(study.space(), study.trials(), FanovaImportance.seeded(DEFAULT_SEED));
    }

    /** Importances of the parameters of {@code space} over {@code trials}, with Optuna's fANOVA defaults and {@link #DEFAULT_SEED}. */
    public static SequencedMap<String, Double> compute(SearchSpace space, List<FrozenTrial> trials) {
        return compute(space, trials, FanovaImportance.seeded(DEFAULT_SEED));
    }

    /** Importances of the study's parameters with the given evaluator. */
    public static SequencedMap<String, Double> compute(Study study, FanovaImportance evaluator) {
        return compute(study.space(), study.trials(), evaluator);
    }

    /**
     * Importances of the parameters of {@code space} over {@code trials} (any states; only completed
     * ones count).
     *
     * @return parameter name to importance, largest first (ties in search-space order); the values
     *         sum to 1
     * @throws IllegalArgumentException with fewer than 2 completed trials, when no parameter is set
     *                                  in all of them, or when a trial's value is outside its
     *                                  categorical parameter's choices
     */
    public static SequencedMap<String, Double> compute(SearchSpace space, List<FrozenTrial> trials, FanovaImportance evaluator) {
        List<FrozenTrial> done = trials.stream().filter(t -> t.state() == TrialState.COMPLETE && Double.isFinite(t.value()))
                .sorted(Comparator.comparingInt(FrozenTrial::number)).toList();
        if (done.size() < 2) {
            throw new IllegalArgumentException("parameter importance needs at least 2 completed trials with a finite value, got " + done.size());
        }
        List<String> names = new ArrayList<>();
        for (Parameter p : space.parameters()) if (done.stream().allMatch(t -> t.params().has(p.name()))) names.add(p.name());
        if (names.isEmpty()) {
            throw new IllegalArgumentException("parameter importance needs a parameter set in every completed trial; "
                    + "none of " + space.names() + " is (conditional parameters count only when always active)");
        }
        double[] fraction = evaluator.varianceFractions(ParamFeatures.of(space, names, done));
        double sum = 0;
        for (double f : fraction) sum += f;
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) order.add(i);
        order.sort(Comparator.comparingDouble((Integer i) -> -fraction[i]));   // stable: ties keep space order
        LinkedHashMap<String, Double> out = new LinkedHashMap<>();
        for (int i : order) out.put(names.get(i), sum > 0 ? fraction[i] / sum : 1.0 / names.size());
        return Collections.unmodifiableSequencedMap(out);
    }
}
