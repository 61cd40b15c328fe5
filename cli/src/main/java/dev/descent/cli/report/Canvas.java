package dev.descent.cli.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * What the Java2D study charts share: a white antialiased image, the title, axes with
 * {@link Scale} ticks whose labels never overlap, and PNG encoding. Headless, like every chart.
 */
final class Canvas {
    static final Color AXIS = new Color(0x555555), GRID = new Color(0xE5E5E5), TEXT = new Color(0x222222);
    static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11), LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13),
            TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 16);

    static {
        boolean headless = Png.HEADLESS;
    }

    private Canvas() {}

    static BufferedImage image(int width, int height) {
        return new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    }

    /** A graphics context on {@code img}, antialiased, the image filled white. */
    static Graphics2D start(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        return g;
    }

    static void title(Graphics2D g, String title, int width) {
        g.setColor(Color.BLACK);
        g.setFont(TITLE_FONT);
        FontMetrics fm = g.getFontMetrics();
        g.drawString(title, (width - fm.stringWidth(title)) / 2, 26);
    }

    /** {@code s}, cut with an ellipsis to fit {@code width} pixels. */
    static String fit(String s, FontMetrics fm, int width) {
        if (fm.stringWidth(s) <= width) return s;
        String cut = s;
        while (!cut.isEmpty() && fm.stringWidth(cut + "…") > width) cut = cut.substring(0, cut.length() - 1);
        return cut + "…";
    }

    /**
     * A horizontal axis at height {@code y} from {@code x0} (position 0) to {@code x1} (position 1):
     * tick marks below it, labels centred under them, a label left out where it would touch the
     * previous one.
     */
    static void xTicks(Graphics2D g, List<Scale.Tick> ticks, double x0, double x1, int y, int maxLabelWidth) {
        g.setFont(TICK_FONT);
        g.setStroke(new BasicStroke(1f));
        FontMetrics fm = g.getFontMetrics();
        double lastRight = Double.NEGATIVE_INFINITY;
        for (Scale.Tick t : ticks) {
            double x = x0 + t.position() * (x1 - x0);
            g.setColor(AXIS);
            g.drawLine((int) Math.round(x), y, (int) Math.round(x), y + 4);
            String s = fit(t.label(), fm, maxLabelWidth);
            double left = x - fm.stringWidth(s) / 2.0;
            if (left < lastRight + 4) continue;
            g.setColor(TEXT);
            g.drawString(s, (float) left, y + 5 + fm.getAscent());
            lastRight = left + fm.stringWidth(s);
        }
    }

    /**
     * A vertical axis at {@code x} from {@code y0} (position 0, bottom) to {@code y1} (position 1):
     * tick marks and labels on the left or the right, a label left out where it would touch the
     * previous one; with {@code halo}, labels sit on a white patch so lines under them stay readable.
     */
    static void yTicks(Graphics2D g, List<Scale.Tick> ticks, int x, double y0, double y1, boolean left, boolean halo, int maxLabelWidth) {
        g.setFont(TICK_FONT);
        g.setStroke(new BasicStroke(1f));
        FontMetrics fm = g.getFontMetrics();
        double lastTop = Double.POSITIVE_INFINITY;
        for (Scale.Tick t : ticks) {
            double y = y0 + t.position() * (y1 - y0);
            g.setColor(AXIS);
            g.drawLine(left ? x - 4 : x, (int) Math.round(y), left ? x : x + 4, (int) Math.round(y));
            String s = fit(t.label(), fm, maxLabelWidth);
            double baseline = y + fm.getAscent() / 2.0 - 1;
            if (baseline > lastTop - 2) continue;
            int w = fm.stringWidth(s);
            int lx = left ? x - 7 - w : x + 7;
            if (halo) {
                g.setColor(new Color(255, 255, 255, 210));
                g.fillRect(lx - 2, (int) (baseline - fm.getAscent()), w + 4, fm.getAscent() + 3);
            }
            g.setColor(TEXT);
            g.drawString(s, lx, (float) baseline);
            lastTop = baseline - fm.getAscent();
        }
    }

    static byte[] png(BufferedImage img) {
        return Png.encode(img, "chart");
    }
}
