package dev.descent.cli.report;

import dev.descent.search.Dimension;
import dev.descent.search.FrozenTrial;
import dev.descent.search.Parameter;
import dev.descent.search.SearchSpace;
import dev.descent.search.TrialState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A study's completed trials as columns, what the parallel-coordinates and slice charts plot:
 * each trial's number and metric value, and per parameter its value in each trial with the axis
 * to show it on (log for log-uniform and log int ranges, category labels for categorical ones).
 * A parameter a trial did not set (an inactive conditional one) is NaN there.
 *
 * @param metric         name of the value
 * @param higherIsBetter whether larger values are better
 * @param number         trial numbers, ascending
 * @param value          each trial's value
 * @param params         one column per parameter, in search-space order
 */
record TrialTable(String metric, boolean higherIsBetter, double[] number, double[] value, List<Column> params) {
    /**
     * @param values the parameter in each trial: the value, or the choice's index for a
     *               categorical parameter; NaN where unset
     */
    record Column(String name, Scale scale, double[] values) {}

    /** The COMPLETE trials with a finite value, in number order. */
    static TrialTable of(SearchSpace space, List<FrozenTrial> trials, String metric, boolean higherIsBetter) {
        List<FrozenTrial> done = trials.stream().filter(t -> t.state() == TrialState.COMPLETE && Double.isFinite(t.value()))
                .sorted(Comparator.comparingInt(FrozenTrial::number)).toList();
        int n = done.size();
        double[] number = new double[n], value = new double[n];
        for (int i = 0; i < n; i++) {
            number[i] = done.get(i).number();
            value[i] = done.get(i).value();
        }
        List<Column> columns = new ArrayList<>();
        for (Parameter p : space.parameters()) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = cell(p, done.get(i));
            Scale scale = switch (p.dimension()) {
                case Dimension.Categorical c -> new Scale.Categorical(c.choices().stream().map(String::valueOf).toList());
                case Dimension.LogUniform u -> Scale.logOver(v);
                case Dimension.IntRange r when r.log() -> Scale.logOver(v);
                case Dimension.Uniform u -> Scale.linearOver(v);
                case Dimension.IntRange r -> Scale.linearOver(v);
            };
            columns.add(new Column(p.name(), scale, v));
        }
        return new TrialTable(metric, higherIsBetter, number, value, List.copyOf(columns));
    }

    int size() {
        return number.length;
    }

    /** Whether trial {@code a}'s value is better than trial {@code b}'s. */
    boolean better(double a, double b) {
        return higherIsBetter ? a > b : a < b;
    }

    private static double cell(Parameter p, FrozenTrial t) {
        if (!t.params().has(p.name())) return Double.NaN;
        Object v = t.params().get(p.name());
        if (p.dimension() instanceof Dimension.Categorical c) {
            int i = c.indexOf(v);
            return i < 0 ? Double.NaN : i;   // a choice since removed from the space: not plotted
        }
        return v instanceof Number x ? x.doubleValue() : Double.NaN;
    }
}
