package dev.descent.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {
    @TempDir Path tmp;

    @Test
    void overlaysSeveralRunsCurvesInTheirPaletteColours() throws IOException {
        double[] steps = new double[200], sgd = new double[200], adam = new double[200];
        for (int i = 0; i < 200; i++) {
            steps[i] = i + 1;
            sgd[i] = 2 * Math.exp(-i / 120.0);
            adam[i] = 2 * Math.exp(-i / 40.0);
        }
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("sgd", new double[][] {steps, sgd});
        series.put("adam", new double[][] {steps, adam});
        Path png = tmp.resolve("compare/val_loss.png");
        Charts.lines("Validation loss", "step", "loss", series, png);

        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img);
        assertEquals(Charts.WIDTH, img.getWidth());
        assertEquals(Charts.HEIGHT, img.getHeight());
        assertTrue(hasColour(img, Charts.PALETTE.get(0).getRGB()), "first series drawn in the first palette colour");
        assertTrue(hasColour(img, Charts.PALETTE.get(1).getRGB()), "second series drawn in the second palette colour");
    }

    @Test
    void aChartWithNoFinitePointIsRefused() {
        Map<String, double[][]> series = Map.of("loss", new double[][] {{1, 2}, {Double.NaN, Double.NaN}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Charts.lines("Loss", "step", "loss", series, tmp.resolve("x.png")));
        assertTrue(e.getMessage().contains("Loss"), e.getMessage());
    }

    private static boolean hasColour(BufferedImage img, int argb) {
        for (int y = 0; y < img.getHeight(); y++) for (int x = 0; x < img.getWidth(); x++) if ((img.getRGB(x, y) & 0xFFFFFF) == (argb & 0xFFFFFF)) return true;
        return false;
    }
}
