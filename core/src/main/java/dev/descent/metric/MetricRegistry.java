package dev.descent.metric;

import dev.descent.registry.Registry;
import dev.descent.registry.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The metrics by name, the names a config's {@code metrics:} list and {@link Metrics#byName} take:
 * one registry for classification metrics (outputs [N, C] or a logit, targets class indices) and
 * one for regression metrics (outputs and targets values). Metrics take no options.
 */
public final class MetricRegistry {
    private MetricRegistry() {}

    public static final Registry<Void, Metric> CLASSIFICATION = classification();

    public static final Registry<Void, Metric> REGRESSION = Registry.of("metric",
            new Row<>("mae", (v, o) -> Metrics.mae()),
            new Row<>("mse", (v, o) -> Metrics.mse()),
            new Row<>("r2", (v, o) -> Metrics.r2()),
            new Row<>("rmse", (v, o) -> Metrics.rmse()));

    private static Registry<Void, Metric> classification() {
        List<Row<Void, Metric>> rows = new ArrayList<>();
        rows.add(new Row<>("accuracy", (v, o) -> Metrics.accuracy()));
        for (Average a : Average.values()) {
            String s = a.name().toLowerCase();
            rows.add(new Row<>("f1_" + s, (v, o) -> Metrics.f1(a)));
            rows.add(new Row<>("precision_" + s, (v, o) -> Metrics.precision(a)));
            rows.add(new Row<>("recall_" + s, (v, o) -> Metrics.recall(a)));
        }
        rows.add(new Row<>("perplexity", (v, o) -> Metrics.perplexity()));
        rows.add(new Row<>("roc_auc", (v, o) -> Metrics.rocAuc()));
        rows.add(new Row<>("top3_accuracy", (v, o) -> Metrics.topKAccuracy(3)));
        rows.add(new Row<>("top5_accuracy", (v, o) -> Metrics.topKAccuracy(5)));
        return new Registry<>("metric", rows);
    }

    /** Every name of both registries, in alphabetical order. */
    public static List<String> names() {
        TreeSet<String> all = new TreeSet<>(CLASSIFICATION.names());
        all.addAll(REGRESSION.names());
        return List.copyOf(all);
    }

    /** The metric of that name in either registry, or null. */
    public static Metric make(String name) {
        Row<Void, Metric> row = CLASSIFICATION.row(name);
        if (row == null) row = REGRESSION.row(name);
        return row == null ? null : row.make(null);
    }
}
