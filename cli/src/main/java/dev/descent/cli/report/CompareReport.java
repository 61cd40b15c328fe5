package dev.descent.cli.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The report of {@code descent compare}: three overlay charts under {@code <dir>/charts/}
 * (training and validation loss against steps, the same against wall time, learning rates) and
 * {@code <dir>/compare.html}, one self-contained page with the table, the charts embedded and the
 * configuration. Every file is written atomically.
 *
 * <p>A diverging variant's loss would flatten everyone else's curve against the axis, so points
 * above {@value #CAP_FACTOR} times the largest first loss are left out of the loss charts (the
 * table says which variant diverged).
 */
public final class CompareReport {
    public static final String HTML = "compare.html";
    public static final String CHARTS = "charts";
    public static final String LOSS_STEPS = "loss_vs_steps.png", LOSS_SECONDS = "loss_vs_seconds.png", LR = "learning_rate.png";
    static final double CAP_FACTOR = 10;

    /**
     * One variant's curves: step arrays share indices, evaluation arrays theirs.
     *
     * @param evalStep    the step each validation followed (empty without validation)
     * @param evalSeconds wall time of that step
     */
    public record Entry(String name, double[] step, double[] seconds, double[] loss, double[] lr, double[] evalStep, double[] evalSeconds,
                        double[] valLoss) {}

    private CompareReport() {}

    /** Writes the charts and compare.html into dir; {@code config} is shown verbatim. */
    public static void write(Path dir, String title, List<Entry> entries, List<String> header, List<List<String>> rows, String config) {
        Path charts = dir.resolve(CHARTS);
        double cap = cap(entries);
        List<String[]> figures = new ArrayList<>();   // {file, caption}
        if (drawLoss(entries, cap, false, charts.resolve(LOSS_STEPS))) {
            figures.add(new String[] {LOSS_STEPS, "Training loss per step (lines) and validation loss (dashed, dots) against optimizer steps"});
        }
        if (drawLoss(entries, cap, true, charts.resolve(LOSS_SECONDS))) {
            figures.add(new String[] {LOSS_SECONDS, "The same losses against wall time: what a step costs matters as much as what it gains"});
        }
        List<Charts.Line> lrs = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            lrs.add(new Charts.Line(e.name(), e.step(), e.lr(), Charts.Style.LINE, color(i)));
        }
        if (anyFinite(lrs)) {
            draw("Learning rate", "step", "learning rate", lrs, charts.resolve(LR));
            figures.add(new String[] {LR, "Learning rate of each variant at every step"});
        }

        HtmlPage page = new HtmlPage(title);
        page.heading(1, title, "summary");
        page.meta("Variants", Integer.toString(entries.size()));
        page.paragraph("Every variant started from the same initial weights, with the same seed and data order.");
        page.table(header, rows);
        page.heading(2, "Charts", "charts");
        for (String[] f : figures) page.image(read(charts.resolve(f[0])), Charts.WIDTH, Charts.HEIGHT, f[1]);
        if (cap < Double.POSITIVE_INFINITY) {
            page.paragraph(String.format(java.util.Locale.ROOT, "Loss points above %.4g (%.0f times the largest first loss) are left out of the loss charts.",
                    cap, CAP_FACTOR));
        }
        page.heading(2, "Configuration", "config");
        page.preformatted(config);
        ReportFiles.write(dir.resolve(HTML), page.finish().getBytes(StandardCharsets.UTF_8));
    }

    private static boolean drawLoss(List<Entry> entries, double cap, boolean seconds, Path png) {
        List<Charts.Line> lines = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            lines.add(new Charts.Line(e.name() + " train", seconds ? e.seconds() : e.step(), capped(e.loss(), cap), Charts.Style.LINE, color(i)));
            if (e.valLoss().length > 0) {
                lines.add(new Charts.Line(e.name() + " val", seconds ? e.evalSeconds() : e.evalStep(), capped(e.valLoss(), cap),
                        Charts.Style.MARKERS, color(i)));
            }
        }
        if (!anyFinite(lines)) return false;
        draw(seconds ? "Loss against training time" : "Loss against steps", seconds ? "seconds (validation and checkpoints excluded)" : "step", "loss",
                lines, png);
        return true;
    }

    /** Charts' line chart with the legend in a column at the right: a row below overflows past eight entries. */
    private static void draw(String title, String x, String y, List<Charts.Line> lines, Path png) {
        var chart = Charts.chart(title, x, y, lines);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        chart.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Vertical);
        ReportFiles.write(png, Charts.encode(chart));
    }

    private static java.awt.Color color(int i) {
        return Charts.PALETTE.get(i % Charts.PALETTE.size());
    }

    /** CAP_FACTOR times the largest finite first training loss; infinity when there is none. */
    static double cap(List<Entry> entries) {
        double first = Double.NaN;
        for (Entry e : entries) {
            if (e.loss().length > 0 && Double.isFinite(e.loss()[0])) first = Double.isNaN(first) ? Math.abs(e.loss()[0]) : Math.max(first, Math.abs(e.loss()[0]));
        }
        return Double.isNaN(first) || first == 0 ? Double.POSITIVE_INFINITY : CAP_FACTOR * first;
    }

    private static double[] capped(double[] v, double cap) {
        double[] out = v.clone();
        for (int i = 0; i < out.length; i++) if (out[i] > cap) out[i] = Double.NaN;
        return out;
    }

    private static boolean anyFinite(List<Charts.Line> lines) {
        for (Charts.Line l : lines) if (Charts.finite(l.x(), l.y())[0].length > 0) return true;
        return false;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ReportException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
