package dev.descent.cli.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;

/**
 * Slice plots of a study, drawn with Java2D in one image: a scatter per parameter, its value on x
 * (a log axis for log-scale parameters, the choices for categorical ones) and the metric on y,
 * the same y range in every panel so panels compare. Points are coloured by trial number (dark =
 * late, see the colour bar), later trials on top, so where a sampler such as TPE concentrated
 * shows as a dark cluster.
 */
final class SliceChart {
    static final int WIDTH = 900;
    private static final int TITLE = 40, PANEL_HEIGHT = 270, BAR_AREA = 80, BAR = 12;
    // Inside a panel: room for y labels on the left, x labels and the name below, and a pad so
    // points at the ends of the range are not cut by the frame.
    private static final int PAD_LEFT = 62, PAD_RIGHT = 14, PAD_TOP = 10, PAD_BOTTOM = 50, INSET = 8;

    private SliceChart() {}

    /** Panels per row: one or two parameters side by side, four as 2 x 2, otherwise rows of three. */
    static int columns(int params) {
        return params <= 2 ? params : params == 4 ? 2 : 3;
    }

    /** Height of the image for {@code params} parameters; the width is always {@link #WIDTH}. */
    static int height(int params) {
        int rows = (params + columns(params) - 1) / columns(params);
        return TITLE + rows * PANEL_HEIGHT + 10;
    }

    /** @throws IllegalArgumentException without a completed trial */
    static byte[] png(TrialTable table) {
        return Canvas.png(draw(table));
    }

    static BufferedImage draw(TrialTable table) {
        if (table.size() == 0) throw new IllegalArgumentException("slice plots need a completed trial");
        int n = table.params().size(), cols = columns(n);
        BufferedImage img = Canvas.image(WIDTH, height(n));
        Graphics2D g = Canvas.start(img);
        Scale y = Scale.linearOver(table.value());
        Scale.Linear trials = Scale.linearOver(table.number());
        double panelWidth = (WIDTH - BAR_AREA) / (double) cols;
        for (int k = 0; k < n; k++) {
            int x0 = (int) Math.round(k % cols * panelWidth), y0 = TITLE + k / cols * PANEL_HEIGHT;
            panel(g, table, table.params().get(k), y, trials, x0, y0, (int) panelWidth, k % cols == 0);
        }
        colorBar(g, trials, TITLE + PAD_TOP, TITLE + PANEL_HEIGHT - PAD_BOTTOM);
        Canvas.title(g, "Slice", WIDTH);
        g.dispose();
        return img;
    }

    private static void panel(Graphics2D g, TrialTable table, TrialTable.Column col, Scale y, Scale trials, int x0, int y0, int width,
                              boolean firstColumn) {
        int left = x0 + PAD_LEFT, right = x0 + width - PAD_RIGHT, top = y0 + PAD_TOP, bottom = y0 + PANEL_HEIGHT - PAD_BOTTOM;
        g.setColor(Canvas.GRID);
        g.setStroke(new BasicStroke(1f));
        for (Scale.Tick t : y.ticks()) {
            int py = (int) Math.round(bottom - INSET - t.position() * (bottom - top - 2 * INSET));
            g.drawLine(left, py, right, py);
        }
        g.setColor(Canvas.AXIS);
        g.drawRect(left, top, right - left, bottom - top);
        Canvas.xTicks(g, col.scale().ticks(), left + INSET, right - INSET, bottom, Math.max(30, (right - left) / Math.max(1, col.scale().ticks().size())));
        Canvas.yTicks(g, y.ticks(), left, bottom - INSET, top + INSET, true, false, PAD_LEFT - 10);

        g.setFont(Canvas.LABEL_FONT);
        FontMetrics fm = g.getFontMetrics();
        String name = Canvas.fit(col.name(), fm, right - left);
        g.setColor(Canvas.TEXT);
        g.drawString(name, (left + right - fm.stringWidth(name)) / 2, bottom + 40);
        if (firstColumn) {
            String metric = Canvas.fit(table.metric(), fm, bottom - top);
            AffineTransform saved = g.getTransform();
            g.rotate(-Math.PI / 2);
            g.drawString(metric, -(top + bottom + fm.stringWidth(metric)) / 2, x0 + 14);
            g.setTransform(saved);
        }

        int drawn = 0;
        for (int i = 0; i < table.size(); i++) {   // ascending trial number: later trials on top
            double v = col.values()[i];
            if (!Double.isFinite(v)) continue;
            double px = left + INSET + col.scale().position(v) * (right - left - 2 * INSET);
            double py = bottom - INSET - y.position(table.value()[i]) * (bottom - top - 2 * INSET);
            Ellipse2D dot = new Ellipse2D.Double(px - 4, py - 4, 8, 8);
            g.setColor(ColorScale.at(1 - trials.position(table.number()[i])));
            g.fill(dot);
            g.setColor(new Color(255, 255, 255, 160));
            g.draw(dot);
            drawn++;
        }
        if (drawn == 0) {
            g.setFont(Canvas.TICK_FONT);
            String s = Canvas.fit("not set in any completed trial", g.getFontMetrics(), right - left - 8);
            g.setColor(Canvas.AXIS);
            g.drawString(s, (left + right - g.getFontMetrics().stringWidth(s)) / 2, (top + bottom) / 2);
        }
    }

    /** Trial number to colour, beside the first row of panels. */
    private static void colorBar(Graphics2D g, Scale.Linear trials, int top, int bottom) {
        int x = WIDTH - BAR_AREA + 14;
        for (int py = top; py <= bottom; py++) {
            double p = (bottom - py) / (double) (bottom - top);
            g.setColor(ColorScale.at(1 - p));
            g.fillRect(x, py, BAR, 1);
        }
        g.setColor(Canvas.AXIS);
        g.drawRect(x, top, BAR, bottom - top);
        Canvas.yTicks(g, trials.ticks(1), x + BAR, bottom, top, false, false, BAR_AREA - BAR - 20);
        g.setFont(Canvas.TICK_FONT);
        g.setColor(Canvas.TEXT);
        g.drawString("trial", x - 4, top - 3 > TITLE ? top - 3 : top + 10);
    }
}
