package dev.descent.cli.report;

import java.awt.BasicStroke;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Map;
import java.util.SequencedMap;

/**
 * Parameter importances as horizontal bars, the most important on top, each labelled with its
 * share ("&lt;0.01" for the negligible ones), as Optuna's {@code plot_param_importances} shows
 * them. Drawn with Java2D like the other study charts: XChart 4.0.3's horizontal bar chart
 * labelled only every other parameter.
 */
final class ImportanceChart {
    static final int WIDTH = 900;
    private static final int TOP = 48, ROW = 36, BOTTOM = 56, RIGHT = 60, MAX_NAME = 260, MIN_HEIGHT = 180;

    private ImportanceChart() {}

    /** Height of the chart for {@code params} bars: a fixed row height, so many parameters stay legible. */
    static int height(int params) {
        return Math.max(MIN_HEIGHT, TOP + ROW * params + BOTTOM);
    }

    /** @param importances parameter to importance, largest first (as ParamImportances returns them) */
    static byte[] png(SequencedMap<String, Double> importances) {
        return Canvas.png(draw(importances));
    }

    static BufferedImage draw(SequencedMap<String, Double> importances) {
        if (importances.isEmpty()) throw new IllegalArgumentException("no importances to chart");
        int n = importances.size(), height = height(n);
        BufferedImage img = Canvas.image(WIDTH, height);
        Graphics2D g = Canvas.start(img);
        g.setFont(Canvas.LABEL_FONT);
        FontMetrics fm = g.getFontMetrics();
        int nameWidth = 0;
        for (String name : importances.keySet()) nameWidth = Math.max(nameWidth, fm.stringWidth(name));
        int left = Math.min(nameWidth, MAX_NAME) + 20, right = WIDTH - RIGHT, top = TOP, bottom = top + ROW * n;
        // The axis ends at the next tenth above the largest share, so the bars use the width.
        double max = Math.min(1, Math.max(0.1, Math.ceil(importances.firstEntry().getValue() * 10 - 1e-9) / 10));
        Scale.Linear axis = new Scale.Linear(0, max);

        g.setStroke(new BasicStroke(1f));
        for (Scale.Tick t : axis.ticks()) {
            int x = (int) Math.round(left + t.position() * (right - left));
            g.setColor(Canvas.GRID);
            g.drawLine(x, top, x, bottom);
        }
        int row = 0;
        for (Map.Entry<String, Double> e : importances.entrySet()) {
            int y = top + row++ * ROW;
            int w = (int) Math.round(axis.position(e.getValue()) * (right - left));
            g.setColor(Charts.PALETTE.get(0));
            g.fillRect(left, y + 6, Math.max(w, 1), ROW - 12);
            g.setFont(Canvas.LABEL_FONT);
            g.setColor(Canvas.TEXT);
            String name = Canvas.fit(e.getKey(), fm, MAX_NAME);
            int baseline = y + ROW / 2 + fm.getAscent() / 2 - 2;
            g.drawString(name, left - 10 - fm.stringWidth(name), baseline);
            g.setFont(Canvas.TICK_FONT);
            g.drawString(Importances.share(e.getValue()), left + w + 6, baseline);
        }
        g.setColor(Canvas.AXIS);
        g.drawLine(left, top, left, bottom);
        g.drawLine(left, bottom, right, bottom);
        Canvas.xTicks(g, axis.ticks(), left, right, bottom, 60);
        g.setFont(Canvas.LABEL_FONT);
        g.setColor(Canvas.TEXT);
        String title = "importance (fANOVA)";
        g.drawString(title, (left + right - fm.stringWidth(title)) / 2, bottom + 40);
        Canvas.title(g, "Parameter importance", WIDTH);
        g.dispose();
        return img;
    }
}
