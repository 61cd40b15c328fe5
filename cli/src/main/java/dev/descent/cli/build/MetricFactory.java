package dev.descent.cli.build;

import com.fasterxml.jackson.databind.JsonNode;
import dev.descent.cli.config.ConfigException;
import dev.descent.cli.config.Suggest;
import dev.descent.metric.Metric;
import dev.descent.metric.MetricRegistry;
import dev.descent.metric.Metrics;
import java.util.ArrayList;
import java.util.List;

/**
 * The metrics of a config's {@code metrics:} list, by {@link Metrics#byName} name (the rows of
 * {@link MetricRegistry}), adapted to the task's encoding; a regression metric needs a regression
 * loss and a classification metric a classification loss.
 */
public final class MetricFactory {
    private MetricFactory() {}

    public static List<Metric> build(JsonNode node, LossFactory.Built loss) {
        List<Metric> out = new ArrayList<>();
        if (node == null || node.isNull()) return out;
        if (!node.isArray()) throw new ConfigException("metrics: expected a list of names, e.g. [accuracy, f1_macro]");
        for (int i = 0; i < node.size(); i++) {
            String name = node.get(i).asText();
            Metric m = node.get(i).isTextual() ? Metrics.byName(name) : null;
            if (m == null) {
                throw new ConfigException("metrics[" + i + "]: unknown metric '" + name + "'" + Suggest.hint(name, Metrics.names())
                        + " (choose from " + String.join(", ", Metrics.names()) + ")");
            }
            boolean regression = MetricRegistry.REGRESSION.row(name) != null;
            if (regression == loss.task().classification()) {
                throw new ConfigException("metrics[" + i + "]: " + name + " is a " + (regression ? "regression" : "classification")
                        + " metric, but loss " + loss.name() + " makes this a " + (regression ? "classification" : "regression") + " run");
            }
            out.add(loss.task().adapt(m, loss.name().equals("bce")));
        }
        return out;
    }
}
