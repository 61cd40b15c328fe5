package dev.descent.cli.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report's metrics table: for each metric, its final value and its best value with where it
 * was reached. Taken from the epoch records when there are any, else a federated run's round
 * records, else the evaluation records, else the steps. "Best" follows the trainer's early-stopping rule: names ending in loss, mse, mae
 * or rmse are better lower, every other metric higher.
 */
final class FinalMetrics {
    private static final List<String> NOT_METRICS = List.of("seconds", "skipped", "lr", "grad_norm", "clients");

    private FinalMetrics() {}

    static List<String> header(RunLog log) {
        String at = !log.epochs().isEmpty() ? "best at epoch" : !log.rounds().isEmpty() ? "best at round" : "best at step";
        return List.of("metric", "final", "best", at);
    }

    static List<List<String>> rows(RunLog log) {
        boolean byEpoch = !log.epochs().isEmpty();
        List<LogRow> rows = byEpoch ? log.epochs() : !log.rounds().isEmpty() ? log.rounds() : !log.evals().isEmpty() ? log.evals() : log.steps();
        List<List<String>> table = new ArrayList<>();
        for (String name : RunLog.names(rows)) {
            if (NOT_METRICS.contains(name)) continue;
            double last = Double.NaN;
            double best = Double.NaN;
            LogRow bestRow = null;
            boolean lower = lowerIsBetter(name);
            for (LogRow r : rows) {
                double v = r.get(name);
                if (!Double.isFinite(v)) continue;
                last = v;
                if (bestRow == null || (lower ? v < best : v > best)) {
                    best = v;
                    bestRow = r;
                }
            }
            if (bestRow == null) continue;
            String where = byEpoch ? Integer.toString(bestRow.epoch()) : Long.toString(bestRow.step());
            table.add(List.of(name, format(last), format(best), where));
        }
        return table;
    }

    static boolean lowerIsBetter(String metric) {
        return metric.endsWith("loss") || metric.endsWith("mse") || metric.endsWith("mae") || metric.endsWith("rmse");
    }

    /** Four significant digits, scientific notation for very small or large magnitudes; "–" for NaN. */
    static String format(double v) {
        if (!Double.isFinite(v)) return "–";
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e5)) return String.format(Locale.ROOT, "%.3e", v);
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
