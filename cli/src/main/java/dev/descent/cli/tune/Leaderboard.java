package dev.descent.cli.tune;

import dev.descent.search.Direction;
import dev.descent.search.FrozenTrial;
import dev.descent.search.TrialState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

/**
 * Every trial of a study ranked: completed trials best first, then pruned ones (by the value they
 * were pruned at), then failed and running ones by number. With cross-validation each completed
 * trial also gets the spread (sample standard deviation) of its fold values, recovered from the
 * running means it reported: fold k's value is {@code k m_k - (k-1) m_(k-1)}.
 *
 * @param metric the searched metric, the value column's heading
 * @param params every parameter name, in search-space order
 * @param rows   the ranked rows
 */
public record Leaderboard(String metric, List<String> params, boolean cv, List<Row> rows) {
    /** One trial. {@code value} and {@code spread} are NaN when absent. */
    public record Row(int rank, int trial, double value, double spread, TrialState state, Map<String, Object> params, String error) {}

    static Leaderboard of(List<FrozenTrial> trials, Direction direction, String metric, List<String> params, int folds) {
        Comparator<FrozenTrial> byValue = Comparator.comparingDouble(t -> Double.isNaN(value(t)) ? Double.POSITIVE_INFINITY : direction.asLoss(value(t)));
        Comparator<FrozenTrial> order = Comparator.<FrozenTrial>comparingInt(t -> group(t.state())).thenComparing(byValue)
                .thenComparingInt(FrozenTrial::number);
        List<FrozenTrial> sorted = new ArrayList<>(trials);
        sorted.sort(order);
        List<Row> rows = new ArrayList<>();
        for (FrozenTrial t : sorted) {
            double spread = folds > 0 && t.state() == TrialState.COMPLETE ? spread(t.intermediate(), folds) : Double.NaN;
            rows.add(new Row(rows.size() + 1, t.number(), value(t), spread, t.state(),
                    t.params().values(), t.error()));
        }
        return new Leaderboard(metric, params, folds > 0, List.copyOf(rows));
    }

    /** A completed trial's value, a pruned one's (the last value it reported), NaN when it has none. */
    private static double value(FrozenTrial t) {
        return t.value() != null ? t.value() : Double.NaN;
    }

    private static int group(TrialState s) {
        return switch (s) {
            case COMPLETE -> 0;
            case PRUNED -> 1;
            default -> 2;
        };
    }

    /** The fold values' sample standard deviation, NaN unless all folds reported. */
    static double spread(SortedMap<Integer, Double> runningMeans, int folds) {
        double[] v = new double[folds];
        double previous = 0;
        for (int k = 1; k <= folds; k++) {
            Double m = runningMeans.get(k);
            if (m == null) return Double.NaN;
            v[k - 1] = k * m - (k - 1) * previous;
            previous = m;
        }
        double mean = 0;
        for (double x : v) mean += x / folds;
        double ss = 0;
        for (double x : v) ss += (x - mean) * (x - mean);
        return Math.sqrt(ss / (folds - 1));
    }

    /** The heading of each column, for tune.html. */
    public List<String> tableHeader() {
        return List.of(header());
    }

    /** The rows as the terminal shows them, for tune.html. */
    public List<List<String>> tableRows() {
        List<List<String>> out = new ArrayList<>();
        for (Row r : rows) out.add(List.of(cells(r, false)));
        return out;
    }

    /** The table for the terminal. */
    public String text() {
        List<String[]> cells = new ArrayList<>();
        cells.add(header());
        for (Row r : rows) cells.add(cells(r, false));
        int[] width = new int[cells.get(0).length];
        for (String[] c : cells) for (int i = 0; i < c.length; i++) width[i] = Math.max(width[i], c[i].length());
        StringBuilder sb = new StringBuilder();
        for (String[] c : cells) {
            for (int i = 0; i < c.length; i++) {
                sb.append(i == 0 ? "" : "  ").append(c[i]).append(" ".repeat(width[i] - c[i].length()));
            }
            sb.setLength(sb.toString().stripTrailing().length());
            sb.append('\n');
        }
        return sb.toString();
    }

    /** The table as CSV: rank, trial, value, (std), state, one column per parameter, error. */
    public String csv() {
        StringBuilder sb = new StringBuilder();
        sb.append(line(header()));
        for (Row r : rows) sb.append(line(cells(r, true)));
        return sb.toString();
    }

    private String[] header() {
        List<String> h = new ArrayList<>(List.of("rank", "trial", metric));
        if (cv) h.add("std");
        h.add("state");
        h.addAll(params);
        h.add("error");
        return h.toArray(String[]::new);
    }

    private String[] cells(Row r, boolean exact) {
        List<String> c = new ArrayList<>(List.of(String.valueOf(r.rank()), String.valueOf(r.trial()), number(r.value(), exact)));
        if (cv) c.add(number(r.spread(), exact));
        c.add(r.state().name().toLowerCase(Locale.ROOT));
        for (String p : params) c.add(r.params().containsKey(p) ? value(r.params().get(p), exact) : "");
        c.add(r.error() == null ? "" : r.error());
        return c.toArray(String[]::new);
    }

    private static String number(double v, boolean exact) {
        if (Double.isNaN(v)) return "";
        return exact ? Double.toString(v) : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String value(Object v, boolean exact) {
        return v instanceof Double d && !exact ? String.format(Locale.ROOT, "%.4g", d) : String.valueOf(v);
    }

    /** "optimizer.lr=0.003162 optimizer.name=adam", for progress lines. */
    static String params(Map<String, Object> values) {
        StringBuilder sb = new StringBuilder();
        values.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : " ").append(k).append('=').append(value(v, false)));
        return sb.toString();
    }

    private static String line(String[] cells) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String c = cells[i];
            if (c.contains(",") || c.contains("\"") || c.contains("\n")) c = "\"" + c.replace("\"", "\"\"") + "\"";
            sb.append(i == 0 ? "" : ",").append(c);
        }
        return sb.append('\n').toString();
    }
}
