package dev.descent.cli.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Draws a {@link ConfusionMatrix} as a heatmap PNG with Java2D: true class down the left (rows,
 * first class at the top, as the matrix is printed), predicted class along the bottom, each cell
 * shaded from white (0) to dark blue (the largest count) and labelled with its count.
 *
 * <p>Why Java2D rather than XChart's HeatMapChart: XChart draws every cell value in one font
 * colour, so counts are unreadable on either the darkest or the palest cells, and it puts the
 * first y category at the bottom, upside down from how confusion matrices are read. Here the
 * text colour follows the cell shade and the layout is known exactly ({@link #cell}), which
 * the tests use to sample cell colours.
 */
final class ConfusionChart {
    static {
        boolean headless = Png.HEADLESS;
    }

    private static final Color LOW = Color.WHITE, HIGH = new Color(0x08306B);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    private static final Font AXIS = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final int MAX_LABEL_CHARS = 18, PAD = 12, TITLE_HEIGHT = 40;

    private ConfusionChart() {}

    /**
     * Pixel geometry of the chart: the grid's top-left corner, the cell size, the image size, and
     * where the rotated "true class" title goes.
     * Cells are square; they shrink as classes grow so 100 classes still fit in about 1,000 px.
     */
    record Layout(int left, int top, int cellSize, int width, int height, int axisTitleX) {
        static Layout of(ConfusionMatrix m) {
            int n = m.size();
            int cell = Math.clamp(640 / n, 14, 64);
            FontMetrics fm = metrics(LABEL);
            int labelWidth = 0;
            for (String l : m.labels()) labelWidth = Math.max(labelWidth, fm.stringWidth(shorten(l)));
            int axisTitle = fm.getHeight() + PAD;
            int content = PAD + axisTitle + labelWidth + PAD + n * cell + PAD * 2;
            int width = Math.max(content, metrics(TITLE).stringWidth(title(m)) + 2 * PAD);
            // When the title is the widest thing, centre the grid and its labels under it.
            int shift = (width - content) / 2;
            int left = shift + PAD + axisTitle + labelWidth + PAD;
            // Column labels are written vertically when wider than a cell, so they need their
            // full width below the grid; otherwise one text line.
            int bottomLabels = labelWidth > cell - 4 ? labelWidth + PAD : fm.getHeight() + PAD;
            int top = TITLE_HEIGHT;
            int height = top + n * cell + bottomLabels + axisTitle + PAD;
            return new Layout(left, top, cell, width, height, shift + PAD);
        }
    }

    /** The on-image rectangle of cell (true class row, predicted class col). */
    static Rectangle cell(ConfusionMatrix m, int row, int col) {
        Layout l = Layout.of(m);
        return new Rectangle(l.left() + col * l.cellSize(), l.top() + row * l.cellSize(), l.cellSize(), l.cellSize());
    }

    /** Renders and writes the PNG atomically. */
    static void write(ConfusionMatrix m, Path png) {
        ReportFiles.write(png, encode(render(m)));
    }

    static BufferedImage render(ConfusionMatrix m) {
        Layout l = Layout.of(m);
        int n = m.size();
        BufferedImage img = new BufferedImage(l.width(), l.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, l.width(), l.height());

            g.setColor(Color.BLACK);
            g.setFont(TITLE);
            centered(g, title(m), l.width() / 2, TITLE_HEIGHT / 2 + g.getFontMetrics().getAscent() / 2 - 2);

            long max = Math.max(1, m.max());
            int cell = l.cellSize();
            // Counts only when they fit; with many classes the shade alone has to tell.
            Font countFont = new Font(Font.SANS_SERIF, Font.PLAIN, Math.clamp(cell / 3, 8, 14));
            for (int t = 0; t < n; t++) {
                for (int p = 0; p < n; p++) {
                    long c = m.counts()[t][p];
                    // sqrt shading so small off-diagonal confusions are visible next to a large diagonal.
                    double f = Math.sqrt((double) c / max);
                    Color shade = mix(LOW, HIGH, f);
                    int x = l.left() + p * cell, y = l.top() + t * cell;
                    g.setColor(shade);
                    g.fillRect(x, y, cell, cell);
                    g.setFont(countFont);
                    String text = Long.toString(c);
                    FontMetrics fm = g.getFontMetrics();
                    if (fm.stringWidth(text) <= cell - 2) {
                        g.setColor(luminance(shade) < 0.5 ? Color.WHITE : Color.BLACK);
                        centered(g, text, x + cell / 2, y + (cell + fm.getAscent() - fm.getDescent()) / 2);
                    }
                }
            }
            g.setColor(new Color(0x999999));
            g.drawRect(l.left(), l.top(), n * cell, n * cell);

            g.setColor(Color.BLACK);
            g.setFont(LABEL);
            FontMetrics fm = g.getFontMetrics();
            int labelWidth = 0;
            for (String s : m.labels()) labelWidth = Math.max(labelWidth, fm.stringWidth(shorten(s)));
            boolean vertical = labelWidth > cell - 4;
            for (int i = 0; i < n; i++) {
                String s = shorten(m.labels().get(i));
                int cy = l.top() + i * cell + cell / 2;
                g.drawString(s, l.left() - PAD / 2 - fm.stringWidth(s), cy + (fm.getAscent() - fm.getDescent()) / 2);
                int cx = l.left() + i * cell + cell / 2;
                int below = l.top() + n * cell + PAD / 2;
                if (vertical) {
                    // Read bottom-to-top, right-aligned against the grid.
                    AffineTransform saved = g.getTransform();
                    g.translate(cx + (fm.getAscent() - fm.getDescent()) / 2, below + fm.stringWidth(s));
                    g.rotate(-Math.PI / 2);
                    g.drawString(s, 0, 0);
                    g.setTransform(saved);
                } else {
                    centered(g, s, cx, below + fm.getAscent());
                }
            }

            g.setFont(AXIS);
            FontMetrics am = g.getFontMetrics();
            int gridMid = l.top() + n * cell / 2;
            int bottomLabels = vertical ? labelWidth + PAD : fm.getHeight() + PAD;
            centered(g, "predicted class", l.left() + n * cell / 2, l.top() + n * cell + bottomLabels + am.getAscent());
            AffineTransform saved = g.getTransform();
            g.translate(l.axisTitleX() + am.getAscent(), gridMid);
            g.rotate(-Math.PI / 2);
            centered(g, "true class", 0, 0);
            g.setTransform(saved);
        } finally {
            g.dispose();
        }
        return img;
    }

    private static String title(ConfusionMatrix m) {
        double acc = m.accuracy();
        return "Confusion matrix" + (Double.isNaN(acc) ? "" : String.format(Locale.ROOT, " (accuracy %.3f, %,d examples)", acc, m.total()));
    }

    private static void centered(Graphics2D g, String s, int cx, int baseline) {
        g.drawString(s, cx - g.getFontMetrics().stringWidth(s) / 2, baseline);
    }

    private static String shorten(String label) {
        return label.length() <= MAX_LABEL_CHARS ? label : label.substring(0, MAX_LABEL_CHARS - 1) + "…";
    }

    private static Color mix(Color a, Color b, double f) {
        return new Color(
                (int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * f),
                (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * f),
                (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * f));
    }

    private static double luminance(Color c) {
        return (0.2126 * c.getRed() + 0.7152 * c.getGreen() + 0.0722 * c.getBlue()) / 255.0;
    }

    private static FontMetrics metrics(Font font) {
        // Measuring needs a graphics context; a 1×1 image is the headless way to get one.
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            return g.getFontMetrics(font);
        } finally {
            g.dispose();
        }
    }

    private static byte[] encode(BufferedImage img) {
        return Png.encode(img, "confusion matrix");
    }
}
