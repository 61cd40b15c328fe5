package dev.descent.search;

import java.util.ArrayList;
import java.util.List;

/**
 * Completed trials as the importance forest's training data: one {@link Feature} per parameter,
 * one row per trial, the objective value as target.
 *
 * <p>Each parameter enters in the representation its sampler draws uniformly in, so that the
 * uniform measure fANOVA integrates over is the search space's own prior:
 * <ul>
 *   <li>uniform: the value, on {@code [low, high]};
 *   <li>log-uniform: {@code ln x}, on {@code [ln low, ln high]};
 *   <li>int range: the value, on {@code [low - step/2, top + step/2]}, so every grid value owns a
 *       cell of the same width; log int range: {@code ln x} on {@code [ln(low - 1/2), ln(high + 1/2)]},
 *       the cells {@link RandomDraws} rounds from;
 *   <li>categorical: the index of the choice, each choice with probability {@code 1/k}.
 * </ul>
 * A numeric value outside its dimension (a trial from before the space was edited) widens the
 * bounds to include it rather than being dropped.
 *
 * @param features the columns, in the order of the names asked for
 * @param x        row t holds trial t's encoded parameters
 * @param y        trial t's objective value
 */
record ParamFeatures(List<Feature> features, double[][] x, double[] y) {
    /**
     * @param names  parameters of {@code space}, each set in every trial
     * @param trials completed trials with finite values
     * @throws IllegalArgumentException when a trial's categorical value is not one of the choices
     */
    static ParamFeatures of(SearchSpace space, List<String> names, List<FrozenTrial> trials) {
        int n = trials.size(), d = names.size();
        double[][] x = new double[n][d];
        double[] y = new double[n];
        for (int t = 0; t < n; t++) y[t] = trials.get(t).value();
        List<Feature> features = new ArrayList<>(d);
        for (int j = 0; j < d; j++) {
            Parameter p = space.parameter(names.get(j));
            double low = Double.POSITIVE_INFINITY, high = Double.NEGATIVE_INFINITY;
            for (int t = 0; t < n; t++) {
                x[t][j] = encode(p, trials.get(t));
                low = Math.min(low, x[t][j]);
                high = Math.max(high, x[t][j]);
            }
            features.add(switch (p.dimension()) {
                case Dimension.Categorical c -> Feature.categorical(p.name(), c.choices().size());
                case Dimension.Uniform u -> Feature.numeric(p.name(), Math.min(low, u.low()), Math.max(high, u.high()));
                case Dimension.LogUniform u -> Feature.numeric(p.name(), Math.min(low, Math.log(u.low())), Math.max(high, Math.log(u.high())));
                case Dimension.IntRange r when r.log() ->
                        Feature.numeric(p.name(), Math.min(low, Math.log(r.low() - 0.5)), Math.max(high, Math.log(r.high() + 0.5)));
                case Dimension.IntRange r -> Feature.numeric(p.name(), Math.min(low, r.low() - r.step() / 2.0), Math.max(high, r.top() + r.step() / 2.0));
            });
        }
        return new ParamFeatures(List.copyOf(features), x, y);
    }

    private static double encode(Parameter p, FrozenTrial trial) {
        Object v = trial.params().get(p.name());
        if (p.dimension() instanceof Dimension.Categorical c) {
            int index = c.indexOf(v);
            if (index < 0) throw new IllegalArgumentException("trial " + trial.number() + " has " + p.name() + " = " + v
                    + ", which is not one of its choices " + c.choices());
            return index;
        }
        if (!(v instanceof Number number)) throw new IllegalArgumentException("trial " + trial.number() + " has " + p.name() + " = " + v + ", not a number");
        double value = number.doubleValue();
        boolean log = p.dimension() instanceof Dimension.LogUniform || p.dimension() instanceof Dimension.IntRange r && r.log();
        double e = log ? Math.log(value) : value;
        if (!Double.isFinite(e)) throw new IllegalArgumentException("trial " + trial.number() + " has " + p.name() + " = " + v + ", outside its domain");
        return e + 0.0;   // -0.0 becomes 0.0: the trees must see one zero, not two
    }
}
