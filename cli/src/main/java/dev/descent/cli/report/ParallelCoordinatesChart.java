package dev.descent.cli.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Parallel coordinates of a study, drawn with Java2D (XChart has no such chart): one vertical
 * axis per parameter, in search-space order, and the metric last; each completed trial is a
 * polyline through its values, coloured by its metric value (dark = better, see
 * {@link ColorScale}) and drawn worst first, so the best trials lie on top. The metric axis is
 * itself the colour bar. A trial that did not set a parameter (an inactive conditional one)
 * leaves a gap at that axis.
 */
final class ParallelCoordinatesChart {
    static final int WIDTH = 900, HEIGHT = 450;
    private static final int LEFT = 70, RIGHT = 70, TOP = 48, BOTTOM = 64, BAR = 10;

    private ParallelCoordinatesChart() {}

    /** @throws IllegalArgumentException without a completed trial */
    static byte[] png(TrialTable table) {
        return Canvas.png(draw(table));
    }

    static BufferedImage draw(TrialTable table) {
        if (table.size() == 0) throw new IllegalArgumentException("parallel coordinates need a completed trial");
        BufferedImage img = Canvas.image(WIDTH, HEIGHT);
        Graphics2D g = Canvas.start(img);
        List<TrialTable.Column> axes = new ArrayList<>(table.params());
        Scale metricScale = Scale.linearOver(table.value());
        axes.add(new TrialTable.Column(table.metric(), metricScale, table.value()));
        int m = axes.size();
        double spacing = (WIDTH - LEFT - RIGHT) / (double) (m - 1);
        double bottom = HEIGHT - BOTTOM, top = TOP;

        // Worst first, so that the best trials are drawn last, on top.
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < table.size(); i++) order.add(i);
        order.sort(Comparator.<Integer>comparingDouble(i -> table.value()[i]).reversed());
        if (table.higherIsBetter()) order = order.reversed();
        g.setStroke(new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (int i : order) {
            Color c = color(table, metricScale, table.value()[i]);
            g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 190));
            Path2D.Double line = new Path2D.Double();
            boolean pen = false;
            for (int a = 0; a < m; a++) {
                double v = axes.get(a).values()[i];
                if (!Double.isFinite(v)) {
                    pen = false;   // unset here: leave a gap
                    continue;
                }
                double x = LEFT + a * spacing, y = bottom + axes.get(a).scale().position(v) * (top - bottom);
                if (pen) line.lineTo(x, y);
                else line.moveTo(x, y);
                pen = true;
            }
            g.draw(line);
        }

        for (int a = 0; a < m; a++) {
            int x = (int) Math.round(LEFT + a * spacing);
            if (a == m - 1) {
                metricBar(g, table, metricScale, x, bottom, top);
                Canvas.yTicks(g, metricScale.ticks(), x + BAR / 2, bottom, top, false, false, RIGHT - 10);
            } else {
                g.setColor(Canvas.AXIS);
                g.setStroke(new BasicStroke(1.2f));
                g.drawLine(x, (int) top, x, (int) bottom);
                Canvas.yTicks(g, axes.get(a).scale().ticks(), x, bottom, top, true, true, (int) Math.min(LEFT - 10, spacing * 0.8));
            }
        }
        names(g, axes, spacing);
        Canvas.title(g, "Parallel coordinates", WIDTH);
        g.dispose();
        return img;
    }

    /** Dark for the best value, light for the worst. */
    private static Color color(TrialTable table, Scale metricScale, double v) {
        double p = metricScale.position(v);
        return ColorScale.at(table.higherIsBetter() ? 1 - p : p);
    }

    private static void metricBar(Graphics2D g, TrialTable table, Scale metricScale, int x, double bottom, double top) {
        for (int y = (int) top; y <= (int) bottom; y++) {
            double p = (bottom - y) / (bottom - top);
            g.setColor(ColorScale.at(table.higherIsBetter() ? 1 - p : p));
            g.fillRect(x - BAR / 2, y, BAR, 1);
        }
        g.setColor(Canvas.AXIS);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(x - BAR / 2, (int) top, BAR, (int) (bottom - top));
    }

    /** Axis names under the axes; on two staggered rows when neighbours would collide. */
    private static void names(Graphics2D g, List<TrialTable.Column> axes, double spacing) {
        g.setFont(Canvas.LABEL_FONT);
        FontMetrics fm = g.getFontMetrics();
        boolean stagger = false;
        for (TrialTable.Column c : axes) stagger |= fm.stringWidth(c.name()) > spacing - 8;
        int room = (int) (stagger ? 2 * spacing - 8 : spacing - 8);
        g.setColor(Canvas.TEXT);
        for (int a = 0; a < axes.size(); a++) {
            String s = Canvas.fit(axes.get(a).name(), fm, Math.max(room, 40));
            int x = (int) Math.round(LEFT + a * spacing - fm.stringWidth(s) / 2.0);
            x = Math.max(2, Math.min(WIDTH - 2 - fm.stringWidth(s), x));
            int y = HEIGHT - BOTTOM + 22 + (stagger && a % 2 == 1 ? 18 : 0);
            g.drawString(s, x, y);
        }
    }
}
