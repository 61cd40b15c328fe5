package dev.descent.cli.report;

import dev.descent.train.RunFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    private static final Pattern IMG = Pattern.compile("<img src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\" width=\"(\\d+)\" height=\"(\\d+)\"");

    @TempDir Path tmp;

    @Test
    void fullRunHasEverySectionAndOneEmbeddedImagePerChart() throws IOException {
        Path run = SyntheticRun.full(tmp.resolve("mnist-adamw"));
        Report.write(run);

        Path html = run.resolve(Report.HTML);
        assertTrue(Files.isRegularFile(html), "report.html written");
        String page = Files.readString(html);
        assertTrue(page.contains("<h1 id=\"summary\">Training report: mnist-adamw</h1>"), "run name in header");
        assertTrue(page.contains("<b>End:</b> completed"), "end reason");
        assertTrue(page.contains("<b>Steps:</b> 300"));
        assertTrue(page.contains("<b>Epochs completed:</b> 3"));
        assertTrue(page.contains("<h2 id=\"metrics\">Final metrics</h2>"));
        assertTrue(page.contains("<h2 id=\"charts\">Charts</h2>"));
        assertTrue(page.contains("<h2 id=\"config\">Configuration</h2>"));
        // Config verbatim, but escaped: its "<comment> &" must not become markup.
        assertTrue(page.contains("# a &lt;comment&gt; &amp; more"), "config shown escaped");
        assertTrue(page.contains("optimizer: {name: adamw, lr: 3e-3}"));
        // Final metrics: val_accuracy of the last epoch (step 300) and best at epoch 3.
        String acc = FinalMetrics.format(SyntheticRun.accuracy(300));
        assertTrue(page.contains("<td>val_accuracy</td><td>" + acc + "</td><td>" + acc + "</td><td>3</td>"), "final metrics row");
        assertFalse(page.contains("<td>seconds</td>"), "seconds is not a metric");

        Set<String> pngs = pngNames(run.resolve(Report.CHARTS));
        assertEquals(new TreeSet<>(List.of("confusion_matrix.png", "grad_norm.png", "loss_epochs.png", "loss_steps.png",
                "lr.png", "val_metrics.png", "val_mse.png")), pngs);

        List<byte[]> embedded = new ArrayList<>();
        Matcher m = IMG.matcher(page);
        while (m.find()) {
            byte[] png = Base64.getDecoder().decode(m.group(1));
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
            assertNotNull(img, "embedded image " + embedded.size() + " decodes");
            assertEquals(Integer.parseInt(m.group(2)), img.getWidth(), "declared width matches");
            assertEquals(Integer.parseInt(m.group(3)), img.getHeight(), "declared height matches");
            embedded.add(png);
        }
        assertEquals(pngs.size(), embedded.size(), "one <img> per chart");
        assertEquals(pngs.size(), page.split("<img ", -1).length - 1, "no other <img> tags");

        int lineCharts = 0;
        for (String name : pngs) {
            byte[] file = Files.readAllBytes(run.resolve(Report.CHARTS).resolve(name));
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(file));
            assertNotNull(img, name + " decodes");
            if (!name.equals("confusion_matrix.png")) {
                assertEquals(Charts.WIDTH, img.getWidth(), name);
                assertEquals(Charts.HEIGHT, img.getHeight(), name);
                lineCharts++;
            }
            assertTrue(embedded.stream().anyMatch(e -> java.util.Arrays.equals(e, file)), name + " is embedded byte for byte");
        }
        assertEquals(6, lineCharts);
        assertNoTemporaryFiles(run);
    }

    @Test
    void confusionMatrixHeatmapShadesAFullCellDarkAndAnEmptyCellWhite() throws IOException {
        Path run = SyntheticRun.full(tmp.resolve("run"));
        Report.write(run);
        BufferedImage img = ImageIO.read(run.resolve(Report.CHARTS).resolve("confusion_matrix.png").toFile());
        ConfusionMatrix m = ConfusionMatrix.read(run.resolve(RunFiles.CONFUSION));
        ConfusionChart.Layout l = ConfusionChart.Layout.of(m);
        assertEquals(l.width(), img.getWidth());
        assertEquals(l.height(), img.getHeight());

        // Sample near a cell's corner, away from the count text in its middle.
        int high = corner(img, m, 0, 0);   // 95, the largest count
        int zero = corner(img, m, 0, 2);   // 0
        int some = corner(img, m, 1, 2);   // 8
        assertEquals(0xFFFFFF, zero & 0xFFFFFF, "a zero cell is white");
        assertTrue(brightness(high) < 80, "the largest count is dark, got " + Integer.toHexString(high));
        assertTrue(brightness(some) < brightness(zero) && brightness(some) > brightness(high), "a small count lies in between");
        // The count text is drawn in the middle of the dark cell in a contrasting (white) colour.
        assertTrue(hasPixelBrighterThan(img, ConfusionChart.cell(m, 0, 0), 200), "count text visible on the dark cell");
    }

    @Test
    void missingMetricsLogIsAClearErrorNamingTheFile() {
        Path run = tmp.resolve("no-metrics");
        ReportException e = assertThrows(ReportException.class, () -> Report.write(run));
        assertTrue(e.getMessage().contains(run.resolve("metrics.jsonl").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
        assertFalse(Files.exists(run.resolve(Report.HTML)));
    }

    @Test
    void emptyMetricsLogIsAClearErrorNamingTheFile() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(run.resolve(RunFiles.METRICS), "\n\n");
        ReportException e = assertThrows(ReportException.class, () -> Report.write(run));
        assertTrue(e.getMessage().contains(run.resolve("metrics.jsonl").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void runWithoutValidationOrClippingSkipsThoseCharts() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("plain"));
        Files.write(run.resolve(RunFiles.METRICS), SyntheticRun.metrics(120, 2, 0, false));
        Report.write(run);
        assertEquals(new TreeSet<>(List.of("loss_epochs.png", "loss_steps.png", "lr.png")), pngNames(run.resolve(Report.CHARTS)));
        String page = Files.readString(run.resolve(Report.HTML));
        assertEquals(3, IMG.matcher(page).results().count());
        assertTrue(page.contains("No config.yaml in the run directory."));
        assertFalse(page.contains("val_"), "no validation metrics in the table");
    }

    @Test
    void singleEpochRunWorks() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("one"));
        Files.write(run.resolve(RunFiles.METRICS), SyntheticRun.metrics(40, 1, 40, true));
        Report.write(run);
        assertTrue(pngNames(run.resolve(Report.CHARTS)).contains("loss_epochs.png"));
        assertTrue(Files.readString(run.resolve(Report.HTML)).contains("<b>Epochs completed:</b> 1"));
    }

    @Test
    void nullValuesAreSkippedNotPlottedAsZeroAndNotReportedAsFinal() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("nulls"));
        Files.write(run.resolve(RunFiles.METRICS), List.of(
                "{\"kind\":\"step\",\"step\":1,\"epoch\":1,\"loss\":2.0,\"lr\":0.1,\"grad_norm\":null,\"seconds\":0.1}",
                "{\"kind\":\"step\",\"step\":2,\"epoch\":1,\"loss\":null,\"lr\":0.1,\"grad_norm\":null,\"seconds\":0.2,\"skipped\":true}",
                "{\"kind\":\"step\",\"step\":3,\"epoch\":1,\"loss\":1.5,\"lr\":0.1,\"grad_norm\":null,\"seconds\":0.3}",
                "{\"kind\":\"epoch\",\"epoch\":1,\"step\":3,\"loss\":1.75,\"val_loss\":1.2,\"val_accuracy\":0.5,\"seconds\":0.3}",
                "{\"kind\":\"step\",\"step\":4,\"epoch\":2,\"loss\":1.0,\"lr\":0.05,\"grad_norm\":null,\"seconds\":0.4}",
                "{\"kind\":\"epoch\",\"epoch\":2,\"step\":4,\"loss\":1.0,\"val_loss\":null,\"val_accuracy\":0.6,\"seconds\":0.1}",
                "{\"kind\":\"end\",\"step\":4,\"reason\":\"stopped: early stopping\"}"));
        Report.write(run);
        String page = Files.readString(run.resolve(Report.HTML));
        // The last val_loss is null: final shows the last finite one (epoch 1's 1.2), not 0 or NaN.
        assertTrue(page.contains("<td>val_loss</td><td>1.2000</td><td>1.2000</td><td>1</td>"), page);
        assertTrue(page.contains("<b>Skipped steps (non-finite loss):</b> 1"));
        assertTrue(page.contains("<b>End:</b> stopped: early stopping"));
        assertFalse(pngNames(run.resolve(Report.CHARTS)).contains("grad_norm.png"), "all-null grad_norm gets no chart");

        // The null loss at step 2 is dropped from the plotted points rather than drawn as 0.
        RunLog log = RunLog.read(run.resolve(RunFiles.METRICS));
        double[][] xy = Charts.finite(RunCharts.steps(log.steps()), RunCharts.column(log.steps(), "loss"));
        assertArrayEquals(new double[] {1, 3, 4}, xy[0]);
        assertArrayEquals(new double[] {2.0, 1.5, 1.0}, xy[1]);
    }

    @Test
    void thousandsOfStepsStayUnderTheDownsamplingCap() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("long"));
        Files.write(run.resolve(RunFiles.METRICS), SyntheticRun.metrics(12_000, 4, 1000, false));
        Report.write(run);
        BufferedImage img = ImageIO.read(run.resolve(Report.CHARTS).resolve("loss_steps.png").toFile());
        assertEquals(Charts.WIDTH, img.getWidth());
        // The point cap itself is checked in DownsampleTest; here, that the page stays mailable.
        long size = Files.size(run.resolve(Report.HTML));
        assertTrue(size < 600_000, "report.html for 12,000 steps is " + size + " bytes");
    }

    @Test
    void rewritingReplacesTheReportAndLeavesNoTemporaryFiles() throws IOException {
        Path run = SyntheticRun.full(tmp.resolve("again"));
        Report.write(run);
        Files.write(run.resolve(RunFiles.METRICS), SyntheticRun.metrics(60, 1, 0, false));
        Files.delete(run.resolve(RunFiles.CONFUSION));
        Report.write(run);
        String page = Files.readString(run.resolve(Report.HTML));
        assertTrue(page.contains("<b>Steps:</b> 60"));
        assertEquals(3, IMG.matcher(page).results().count(), "only this run's charts are embedded");
        assertNoTemporaryFiles(run);
    }

    private static int corner(BufferedImage img, ConfusionMatrix m, int row, int col) {
        java.awt.Rectangle r = ConfusionChart.cell(m, row, col);
        return img.getRGB(r.x + 3, r.y + 3);
    }

    private static int brightness(int rgb) {
        return (((rgb >> 16) & 0xFF) + ((rgb >> 8) & 0xFF) + (rgb & 0xFF)) / 3;
    }

    private static boolean hasPixelBrighterThan(BufferedImage img, java.awt.Rectangle r, int level) {
        for (int y = r.y + r.height / 4; y < r.y + 3 * r.height / 4; y++) {
            for (int x = r.x + r.width / 4; x < r.x + 3 * r.width / 4; x++) if (brightness(img.getRGB(x, y)) > level) return true;
        }
        return false;
    }

    private static Set<String> pngNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }

    private static void assertNoTemporaryFiles(Path run) throws IOException {
        try (Stream<Path> files = Files.walk(run)) {
            List<Path> tmp = files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
            assertTrue(tmp.isEmpty(), "temporary files left: " + tmp);
        }
    }
}
