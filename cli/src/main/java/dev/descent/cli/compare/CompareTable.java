package dev.descent.cli.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The comparison table, one row per variant: best and final value of the compared validation
 * metric, final training loss, steps and seconds to the target loss ("-" when never reached or no
 * target), and whether it diverged. The same rows go to the terminal and to compare.html.
 */
public record CompareTable(List<String> header, List<List<String>> rows) {
    public static CompareTable of(List<Comparison.Result> results, double target) {
        String metric = results.isEmpty() || results.get(0).metric() == null ? "val_loss" : results.get(0).metric();
        String t = Double.isNaN(target) ? "target" : "target " + num(target);
        List<String> header = List.of("variant", "best " + metric, "final " + metric, "final train loss", "steps to " + t,
                "seconds to " + t, "diverged", "end");
        List<List<String>> rows = new ArrayList<>();
        for (Comparison.Result r : results) {
            Summary s = r.summary();
            rows.add(List.of(r.name(), num(s.bestMetric()), num(s.finalMetric()), num(s.finalLoss()),
                    s.stepsToTarget() < 0 ? "-" : Long.toString(s.stepsToTarget()),
                    s.stepsToTarget() < 0 ? "-" : String.format(Locale.ROOT, "%.2f", s.secondsToTarget()),
                    s.diverged() ? "yes" : "no", r.reason()));
        }
        return new CompareTable(header, List.copyOf(rows));
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : Double.isNaN(v) ? "-" : String.valueOf(v);
    }

    /** Columns padded to their widest cell, one line per row after the header. */
    public String text() {
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = header.get(i).length();
            for (List<String> r : rows) w[i] = Math.max(w[i], r.get(i).length());
        }
        StringBuilder sb = new StringBuilder();
        line(sb, header, w);
        for (List<String> r : rows) line(sb, r, w);
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] w) {
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            // Names left-aligned, numbers right-aligned; the last column needs no padding.
            if (i == cells.size() - 1) sb.append(c);
            else if (i == 0) sb.append(c).append(" ".repeat(w[i] - c.length())).append("  ");
            else sb.append(" ".repeat(w[i] - c.length())).append(c).append("  ");
        }
        sb.append('\n');
    }
}
