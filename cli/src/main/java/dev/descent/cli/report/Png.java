package dev.descent.cli.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * The report's one PNG encoder, and the one place that makes its drawing headless: a server has no
 * display and must never need one. Every chart class touches {@link #HEADLESS} in its static
 * initializer, before it draws anything.
 */
final class Png {
    /** Set before any AWT toolkit starts; read by the chart classes to run this initializer first. */
    static final boolean HEADLESS;

    static {
        System.setProperty("java.awt.headless", "true");
        HEADLESS = true;
    }

    private Png() {}

    /**
     * The image as PNG bytes.
     *
     * @param what what the image shows, for the message ("chart", "confusion matrix")
     */
    static byte[] encode(BufferedImage img, String what) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new ReportException("cannot encode " + what + " as PNG: " + e.getMessage(), e);
        }
    }
}
