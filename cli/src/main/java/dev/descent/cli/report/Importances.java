package dev.descent.cli.report;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SequencedMap;

/**
 * A study's parameter importances as the report and the terminal show them, or why there are
 * none (fewer than two completed trials, no parameter set in all of them).
 *
 * @param values      parameter to importance, largest first, summing to 1; empty when unavailable
 * @param unavailable why there are no values; null when there are
 */
public record Importances(SequencedMap<String, Double> values, String unavailable) {
    public Importances {
        Objects.requireNonNull(values, "values");
        if (values.isEmpty() == (unavailable == null)) throw new IllegalArgumentException("give either importances or the reason there are none");
    }

    public static Importances of(SequencedMap<String, Double> values) {
        return new Importances(values, null);
    }

    public static Importances unavailableBecause(String reason) {
        return new Importances(new java.util.LinkedHashMap<>(), Objects.requireNonNull(reason, "reason"));
    }

    public boolean available() {
        return unavailable == null;
    }

    /** "optimizer.lr 0.62, optimizer.name 0.25, ..." for the {@code top} largest; "(n more)" when cut. */
    public String summary(int top) {
        if (!available()) return unavailable;
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (Map.Entry<String, Double> e : values.entrySet()) {
            if (shown == top) break;
            sb.append(shown++ == 0 ? "" : ", ").append(e.getKey()).append(' ').append(share(e.getValue()));
        }
        if (values.size() > top) sb.append(", (").append(values.size() - top).append(" more)");
        return sb.toString();
    }

    /** Two decimals; "<0.01" for what would print as 0.00 but is not zero, as Optuna's plot does. */
    static String share(double v) {
        if (v > 0 && v < 0.005) return "<0.01";
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
