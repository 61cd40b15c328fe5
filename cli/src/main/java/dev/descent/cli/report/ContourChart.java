package dev.descent.cli.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A contour plot of a 2-D function with paths drawn over it, rendered with Java2D (XChart has no
 * contour plot): the function's values on a grid are shaded by log(1 + f) and iso-lines are
 * traced through the grid by marching squares; each path is a coloured polyline from a ring (the
 * start) to a dot (the end); a cross marks the minimum. Levels are equally spaced in log(1 + f)
 * because test functions such as Rosenbrock span four orders of magnitude, and equally spaced
 * levels in f would all crowd onto the walls.
 */
public final class ContourChart {
    public static final int WIDTH = 820, HEIGHT = 680;
    private static final int LEFT = 60, RIGHT = 20, TOP = 40, BOTTOM = 50, LEVELS = 18;

    static {
        boolean headless = Png.HEADLESS;
    }

    /**
     * One path.
     *
     * @param label legend entry
     * @param x     x of each point, the start first
     * @param y     y of each point
     */
    public record Trace(String label, double[] x, double[] y) {}

    /**
     * The view and the function's values on it.
     *
     * @param f    f on an n x n grid: {@code f[i][j]} at x = xLo + j step, y = yLo + i step
     * @param minX where the minimum is (marked), NaN for none
     */
    public record Field(double[][] f, double xLo, double xHi, double yLo, double yHi, double minX, double minY) {}

    private ContourChart() {}

    /** Draws the chart and writes it as PNG, atomically. */
    public static void write(String title, Field field, List<Trace> traces, Path png) {
        ReportFiles.write(png, encode(draw(title, field, traces)));
    }

    static BufferedImage draw(String title, Field field, List<Trace> traces) {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        Plot p = new Plot(field);
        double[][] lf = logValues(field.f());
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double[] row : lf) for (double v : row) if (Double.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }

        shade(g, p, lf, lo, hi);
        g.setColor(new Color(0x7A7A7A));
        g.setStroke(new BasicStroke(0.8f));
        for (int k = 1; k <= LEVELS; k++) isoLine(g, p, lf, lo + (hi - lo) * k / (LEVELS + 1.0));

        g.setClip(LEFT, TOP, p.w, p.h);
        for (int t = 0; t < traces.size(); t++) path(g, p, traces.get(t), Charts.PALETTE.get(t % Charts.PALETTE.size()));
        if (Double.isFinite(field.minX())) {
            double mx = p.px(field.minX()), my = p.py(field.minY());
            g.setColor(new Color(0xC00000));
            g.setStroke(new BasicStroke(3f));
            g.draw(new Line2D.Double(mx - 7, my - 7, mx + 7, my + 7));
            g.draw(new Line2D.Double(mx - 7, my + 7, mx + 7, my - 7));
        }
        g.setClip(null);
        axes(g, p, title);
        legend(g, p, traces);
        g.dispose();
        return img;
    }

    /** Pixel geometry of the plot area. */
    private static final class Plot {
        final Field f;
        final int w = WIDTH - LEFT - RIGHT, h = HEIGHT - TOP - BOTTOM;

        Plot(Field f) {
            this.f = f;
        }

        double px(double x) {
            return LEFT + (x - f.xLo()) / (f.xHi() - f.xLo()) * w;
        }

        double py(double y) {
            return TOP + h - (y - f.yLo()) / (f.yHi() - f.yLo()) * h;
        }
    }

    private static double[][] logValues(double[][] f) {
        double[][] out = new double[f.length][];
        for (int i = 0; i < f.length; i++) {
            out[i] = new double[f[i].length];
            for (int j = 0; j < f[i].length; j++) out[i][j] = Math.log1p(Math.max(0, f[i][j]));
        }
        return out;
    }

    /** Pale shading: low values light yellow, high values light blue-grey, so coloured paths stand out. */
    private static void shade(Graphics2D g, Plot p, double[][] lf, double lo, double hi) {
        int n = lf.length;
        Color low = new Color(0xFFF6D5), high = new Color(0xB9C7DA);
        for (int py = 0; py < p.h; py++) {
            int i = (int) Math.round((p.h - 1 - py) / (double) (p.h - 1) * (n - 1));
            for (int px = 0; px < p.w; px++) {
                int j = (int) Math.round(px / (double) (p.w - 1) * (n - 1));
                double t = hi > lo ? (lf[i][j] - lo) / (hi - lo) : 0;
                if (!Double.isFinite(t)) t = 1;
                g.setColor(mix(low, high, t));
                g.fillRect(LEFT + px, TOP + py, 1, 1);
            }
        }
    }

    private static Color mix(Color a, Color b, double t) {
        return new Color((int) (a.getRed() + (b.getRed() - a.getRed()) * t), (int) (a.getGreen() + (b.getGreen() - a.getGreen()) * t),
                (int) (a.getBlue() + (b.getBlue() - a.getBlue()) * t));
    }

    /**
     * Marching squares: in each grid cell, the level crosses the edges whose two corners lie on
     * either side of it, at the linearly interpolated point; two crossings make a segment, four (a
     * saddle) make two, paired in edge order.
     */
    private static void isoLine(Graphics2D g, Plot p, double[][] v, double level) {
        int n = v.length;
        double dx = (p.f.xHi() - p.f.xLo()) / (n - 1), dy = (p.f.yHi() - p.f.yLo()) / (n - 1);
        double[] cx = new double[4], cy = new double[4];
        for (int i = 0; i < n - 1; i++) {
            for (int j = 0; j < n - 1; j++) {
                // Corners counter-clockwise from the bottom left; edge e joins corner e and e+1.
                double[] c = {v[i][j], v[i][j + 1], v[i + 1][j + 1], v[i + 1][j]};
                double[][] at = {{j, i}, {j + 1, i}, {j + 1, i + 1}, {j, i + 1}};
                int k = 0;
                for (int e = 0; e < 4; e++) {
                    double a = c[e], b = c[(e + 1) % 4];
                    if ((a < level) != (b < level) && Double.isFinite(a) && Double.isFinite(b)) {
                        double t = (level - a) / (b - a);
                        double[] s = at[e], u = at[(e + 1) % 4];
                        cx[k] = p.px(p.f.xLo() + (s[0] + t * (u[0] - s[0])) * dx);
                        cy[k] = p.py(p.f.yLo() + (s[1] + t * (u[1] - s[1])) * dy);
                        k++;
                    }
                }
                if (k >= 2) g.draw(new Line2D.Double(cx[0], cy[0], cx[1], cy[1]));
                if (k == 4) g.draw(new Line2D.Double(cx[2], cy[2], cx[3], cy[3]));
            }
        }
    }

    private static void path(Graphics2D g, Plot p, Trace t, Color color) {
        Path2D.Double line = new Path2D.Double();
        int last = -1;
        for (int i = 0; i < t.x().length; i++) {
            if (!Double.isFinite(t.x()[i]) || !Double.isFinite(t.y()[i])) break;
            // Far outside the view, Java2D's coordinates overflow; the clip hides the rest anyway.
            double x = clamp(p.px(t.x()[i])), y = clamp(p.py(t.y()[i]));
            if (i == 0) line.moveTo(x, y);
            else line.lineTo(x, y);
            last = i;
        }
        if (last < 0) return;
        g.setColor(color);
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(line);
        double sx = p.px(t.x()[0]), sy = p.py(t.y()[0]);
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(2f));
        g.draw(new Ellipse2D.Double(sx - 6, sy - 6, 12, 12));
        double ex = clamp(p.px(t.x()[last])), ey = clamp(p.py(t.y()[last]));
        g.setColor(color);
        g.fill(new Ellipse2D.Double(ex - 5, ey - 5, 10, 10));
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1f));
        g.draw(new Ellipse2D.Double(ex - 5, ey - 5, 10, 10));
    }

    private static double clamp(double v) {
        return Math.max(-1e4, Math.min(1e4, v));
    }

    private static void axes(Graphics2D g, Plot p, String title) {
        g.setColor(new Color(0x555555));
        g.setStroke(new BasicStroke(1f));
        g.drawRect(LEFT, TOP, p.w, p.h);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        FontMetrics fm = g.getFontMetrics();
        double xs = niceStep((p.f.xHi() - p.f.xLo()) / 8), ys = niceStep((p.f.yHi() - p.f.yLo()) / 8);
        for (double x = Math.ceil(p.f.xLo() / xs) * xs; x <= p.f.xHi() + 1e-9; x += xs) {
            int px = (int) Math.round(p.px(x));
            g.drawLine(px, TOP + p.h, px, TOP + p.h + 4);
            String s = label(x);
            g.drawString(s, px - fm.stringWidth(s) / 2, TOP + p.h + 17);
        }
        for (double y = Math.ceil(p.f.yLo() / ys) * ys; y <= p.f.yHi() + 1e-9; y += ys) {
            int py = (int) Math.round(p.py(y));
            g.drawLine(LEFT - 4, py, LEFT, py);
            String s = label(y);
            g.drawString(s, LEFT - 7 - fm.stringWidth(s), py + 4);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString("x", LEFT + p.w / 2, HEIGHT - 12);
        g.drawString("y", 14, TOP + p.h / 2);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        fm = g.getFontMetrics();
        g.drawString(title, (WIDTH - fm.stringWidth(title)) / 2, 26);
    }

    private static void legend(Graphics2D g, Plot p, List<Trace> traces) {
        if (traces.isEmpty()) return;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        int width = 0;
        for (Trace t : traces) width = Math.max(width, fm.stringWidth(t.label()));
        int boxW = width + 44, boxH = traces.size() * 18 + 8, x0 = LEFT + p.w - boxW - 8, y0 = TOP + 8;
        g.setColor(new Color(255, 255, 255, 225));
        g.fillRect(x0, y0, boxW, boxH);
        g.setColor(new Color(0xAAAAAA));
        g.drawRect(x0, y0, boxW, boxH);
        for (int i = 0; i < traces.size(); i++) {
            int y = y0 + 16 + i * 18;
            g.setColor(Charts.PALETTE.get(i % Charts.PALETTE.size()));
            g.setStroke(new BasicStroke(3f));
            g.drawLine(x0 + 8, y - 4, x0 + 30, y - 4);
            g.setColor(Color.BLACK);
            g.drawString(traces.get(i).label(), x0 + 36, y);
        }
    }

    static double niceStep(double raw) {
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double r = raw / mag;
        return (r < 1.5 ? 1 : r < 3 ? 2 : r < 7 ? 5 : 10) * mag;
    }

    private static String label(double v) {
        if (Math.abs(v) < 1e-9) return "0";
        String s = String.format(Locale.ROOT, "%.2f", v);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    static byte[] encode(BufferedImage img) {
        return Png.encode(img, "chart");
    }
}
