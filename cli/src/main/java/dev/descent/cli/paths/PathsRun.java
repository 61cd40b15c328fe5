package dev.descent.cli.paths;

import dev.descent.cli.report.ContourChart;
import dev.descent.cli.report.PathsReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs every optimizer of every surface from its start ({@link PathRun}) and writes one contour
 * chart per surface ({@code <function>.png}) and {@code paths.html} with the charts and a table of
 * where each optimizer ended.
 */
public final class PathsRun {
    /** Grid points per side of the contour plot. */
    static final int GRID = 241;

    private PathsRun() {}

    /** The runs, surface by surface, in configuration order. */
    public static List<List<PathRun>> run(PathsSpec spec, Path dir, String config, PrintStream out) {
        List<List<PathRun>> all = new ArrayList<>();
        List<PathsReport.Figure> figures = new ArrayList<>();
        for (PathsSpec.Problem p : spec.problems()) {
            List<PathRun> runs = new ArrayList<>();
            for (PathsSpec.Entry e : p.optimizers()) runs.add(PathRun.run(e.label(), p.surface(), p.x(), p.y(), p.steps(), e.spec()));
            all.add(runs);
            Surface view = p.surface();
            double[] v = p.view();
            var field = new ContourChart.Field(view.grid(GRID, v), v[0], v[1], v[2], v[3], view.minX, view.minY);
            List<ContourChart.Trace> traces = new ArrayList<>();
            for (PathRun r : runs) traces.add(trace(r));
            Path png = dir.resolve(view.key() + ".png");
            String title = String.format(Locale.ROOT, "%s: %d steps from (%s, %s)", name(view), p.steps(), num(p.x()), num(p.y()));
            ContourChart.write(title, field, traces, png);
            List<List<String>> rows = new ArrayList<>();
            out.println(title);
            for (PathRun r : runs) {
                double[] end = r.end();
                double dist = Math.hypot(end[0] - view.minX, end[1] - view.minY);
                List<String> row = List.of(r.label(), num(end[0]) + ", " + num(end[1]), num(r.values()[r.values().length - 1]), num(dist), r.reason());
                rows.add(row);
                out.printf(Locale.ROOT, "  %-12s end (%s)  f %s  distance to minimum %s  %s%n", row.get(0), row.get(1), row.get(2), row.get(3), row.get(4));
            }
            figures.add(new PathsReport.Figure(png, title, List.of("optimizer", "end (x, y)", "f at end", "distance to minimum", "end"), rows));
        }
        PathsReport.write(dir, figures, config);
        return all;
    }

    private static String name(Surface s) {
        return s.key().substring(0, 1).toUpperCase(Locale.ROOT) + s.key().substring(1);
    }

    private static ContourChart.Trace trace(PathRun r) {
        double[] x = new double[r.points().size()], y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.points().get(i)[0];
            y[i] = r.points().get(i)[1];
        }
        return new ContourChart.Trace(r.label(), x, y);
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4g", v) : String.valueOf(v);
    }
}
