package dev.descent.cli.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Line charts rendered with XChart and saved as PNG (written atomically). Used by {@link Report}
 * for one run's curves, and meant for overlaying several runs' curves (for example one optimizer
 * per series):
 * <pre>{@code
 * Charts.lines("Validation loss", "step", "loss",
 *         Map.of("sgd", new double[][] {steps, sgdLoss}, "adam", new double[][] {steps, adamLoss}),
 *         Path.of("compare/val_loss.png"));
 * }</pre>
 * Points whose x or y is not finite are dropped; series longer than
 * {@link Downsample#MAX_POINTS} are thinned by {@link Downsample#minMax}. Rendering is headless:
 * {@link Png} sets {@code java.awt.headless=true} before this class draws anything.
 */
public final class Charts {
    /** Size of every line chart, in pixels. */
    public static final int WIDTH = 900, HEIGHT = 450;

    /** Distinct, colour-blind-friendly series colours (Okabe–Ito), used in order. */
    public static final List<Color> PALETTE = List.of(
            new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7),
            new Color(0xE69F00), new Color(0x56B4E9), new Color(0x000000), new Color(0xF0E442));

    /** Series with this many points or fewer also get markers, so a one-epoch run shows a dot. */
    private static final int MARKERS_UP_TO = 40;

    static {
        // Before the first AWT toolkit starts; a server has no display and must never need one.
        boolean headless = Png.HEADLESS;
    }

    /** How a series is drawn. */
    public enum Style {
        /** A solid line (markers too when the series is short). */
        LINE,
        /** A thin, pale line, for raw noisy data under its smoothed version. */
        FAINT,
        /** Markers joined by a dashed line, for sparse measurements such as evaluations. */
        MARKERS
    }

    /**
     * One series.
     *
     * @param name  legend entry
     * @param x     x values
     * @param y     y values, same length; non-finite entries are skipped
     * @param style how to draw it
     * @param color its colour
     */
    public record Line(String name, double[] x, double[] y, Style style, Color color) {
        public Line {
            if (x.length != y.length) throw new IllegalArgumentException(name + ": x has " + x.length + " values, y has " + y.length);
        }
    }

    private Charts() {}

    /**
     * Draws each series as a solid line, colours from {@link #PALETTE} in map order, and writes the
     * PNG.
     *
     * @param series legend name to {@code {x[], y[]}}
     * @param png    output file; parent directories are created
     * @throws IllegalArgumentException when no series has a finite point
     */
    public static void lines(String title, String xLabel, String yLabel, Map<String, double[][]> series, Path png) {
        List<Line> lines = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            double[][] xy = e.getValue();
            if (xy.length != 2) throw new IllegalArgumentException(e.getKey() + ": expected {x[], y[]}, got " + xy.length + " arrays");
            lines.add(new Line(e.getKey(), xy[0], xy[1], Style.LINE, PALETTE.get(i++ % PALETTE.size())));
        }
        lines(title, xLabel, yLabel, lines, png);
    }

    /**
     * Draws the series as given and writes the PNG.
     *
     * @throws IllegalArgumentException when no series has a finite point
     */
    public static void lines(String title, String xLabel, String yLabel, List<Line> lines, Path png) {
        ReportFiles.write(png, encode(chart(title, xLabel, yLabel, lines)));
    }

    static XYChart chart(String title, String xLabel, String yLabel, List<Line> lines) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        style(chart.getStyler());
        int drawn = 0;
        for (Line line : lines) {
            double[][] xy = finite(line.x(), line.y());
            if (xy[0].length == 0) continue;
            xy = Downsample.minMax(xy[0], xy[1], Downsample.MAX_POINTS);
            XYSeries s = chart.addSeries(line.name(), xy[0], xy[1]);
            drawn++;
            s.setLineColor(line.color());
            s.setMarkerColor(line.color());
            switch (line.style()) {
                case LINE -> {
                    s.setLineStyle(new BasicStroke(2f));
                    s.setMarker(xy[0].length <= MARKERS_UP_TO ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
                }
                case FAINT -> {
                    Color c = line.color();
                    Color pale = new Color(c.getRed(), c.getGreen(), c.getBlue(), 70);
                    s.setLineColor(pale);
                    s.setLineStyle(new BasicStroke(1f));
                    s.setMarker(SeriesMarkers.NONE);
                }
                case MARKERS -> {
                    s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f));
                    s.setMarker(SeriesMarkers.CIRCLE);
                }
            }
        }
        if (drawn == 0) throw new IllegalArgumentException("chart '" + title + "': no series has a finite point");
        // One series: the title already says what it is.
        chart.getStyler().setLegendVisible(drawn > 1);
        chart.getStyler().setYAxisDecimalPattern(yPattern(lines));
        niceXTicks(chart, lines);
        return chart;
    }

    /**
     * XChart puts x ticks on the data values themselves when all x values are equally spaced,
     * which for steps 1..300 gives ticks at 1, 10, 19, 28, ... Adding one invisible point off
     * that grid (inside the range, so the axes do not move) makes XChart fall back to its usual
     * round-number ticks (0, 50, 100, ...). Short series (epochs 1..3) keep data ticks, which are
     * right for them.
     */
    private static void niceXTicks(XYChart chart, List<Line> lines) {
        java.util.TreeSet<Double> xs = new java.util.TreeSet<>();
        double yAny = Double.NaN;
        for (Line line : lines) {
            double[][] xy = finite(line.x(), line.y());
            for (double v : xy[0]) xs.add(v);
            if (xy[1].length > 0) yAny = xy[1][0];
        }
        if (xs.size() <= MARKERS_UP_TO) return;
        double gap = xs.higher(xs.first()) - xs.first();
        XYSeries hidden = chart.addSeries(" ", new double[] {xs.first() + gap / 2}, new double[] {yAny});
        hidden.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        hidden.setMarker(SeriesMarkers.NONE);
        hidden.setShowInLegend(false);
    }

    /**
     * XChart's default y labels drop the leading zero (".0025"); learning rates of 1e-5 need
     * scientific notation to be readable at all.
     */
    private static String yPattern(List<Line> lines) {
        double max = 0;
        for (Line line : lines) for (double v : finite(line.x(), line.y())[1]) max = Math.max(max, Math.abs(v));
        if (max > 0 && max < 1e-2) return "0.0##E0";
        if (max >= 1e5) return "0.0##E0";
        return "0.####";
    }

    private static void style(Styler st) {
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotBorderColor(new Color(0xBBBBBB));
        st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        st.setChartTitleBoxVisible(false);
        st.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        // Below the plot, in a row: inside the plot it hides rising curves (accuracy) or
        // falling ones (loss), whichever corner it picks.
        st.setLegendPosition(Styler.LegendPosition.OutsideS);
        st.setLegendLayout(Styler.LegendLayout.Horizontal);
        st.setLegendBorderColor(new Color(0xCCCCCC));
        st.setLegendBackgroundColor(new Color(255, 255, 255, 220));
        st.setMarkerSize(7);
        st.setAntiAlias(true);
        if (st instanceof org.knowm.xchart.style.XYStyler xy) {
            xy.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            xy.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            xy.setPlotGridLinesColor(new Color(0xE5E5E5));
            xy.setXAxisDecimalPattern("#,##0.##");
        }
    }

    /** Keeps the points where both x and y are finite (null in the log is NaN here). */
    static double[][] finite(double[] x, double[] y) {
        int n = 0;
        for (int i = 0; i < x.length; i++) if (Double.isFinite(x[i]) && Double.isFinite(y[i])) n++;
        double[] fx = new double[n], fy = new double[n];
        int k = 0;
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                fx[k] = x[i];
                fy[k++] = y[i];
            }
        }
        return new double[][] {fx, fy};
    }

    static byte[] encode(org.knowm.xchart.internal.chartpart.IChart chart) {
        // BitmapEncoder.getBitmapBytes is deprecated in XChart 4; render, then encode.
        return Png.encode(BitmapEncoder.getBufferedImage(chart), "chart");
    }
}
