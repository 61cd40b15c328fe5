package dev.descent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.cli.report.ContourChart;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code descent paths} end to end: a readable PNG per surface, paths.html, and configuration errors. */
class PathsCommandTest {
    @TempDir Path dir;

    @Test
    void drawsOneChartPerSurfaceAndAPage() throws IOException {
        Path cfg = Cli.write(dir, "p.yaml", """
                steps: 100
                surfaces:
                  - function: rosenbrock
                    start: [-1.5, 2.0]
                    optimizers: [{label: gd, name: sgd, lr: 0.001}, {name: adam, lr: 0.1}]
                  - function: beale
                    start: [1.0, 1.5]
                    steps: 50
                    optimizers: [{name: adam, lr: 0.1}]
                """);
        var r = Cli.run("paths", cfg.toString(), "--out", dir.resolve("out").toString());
        assertEquals(0, r.code(), r.err());
        for (String name : new String[] {"rosenbrock.png", "beale.png"}) {
            BufferedImage img = ImageIO.read(dir.resolve("out").resolve(name).toFile());
            assertNotNull(img, name);
            assertEquals(ContourChart.WIDTH, img.getWidth());
            assertEquals(ContourChart.HEIGHT, img.getHeight());
        }
        String html = Files.readString(dir.resolve("out/paths.html"));
        assertEquals(2, html.split("data:image/png;base64,", -1).length - 1);
        assertTrue(r.out().contains("Rosenbrock: 100 steps") && r.out().contains("Beale: 50 steps"), r.out());
    }

    @Test
    void anUnknownOptimizerKeyIsNamedWithItsPlace() throws IOException {
        Path cfg = Cli.write(dir, "p.yaml", """
                surfaces:
                  - function: rosenbrock
                    start: [0, 0]
                    optimizers: [{name: sgd, lr: 0.001, momentun: 0.9}]
                """);
        var r = Cli.run("paths", cfg.toString(), "--out", dir.resolve("out").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.errorLines().contains("surfaces[0].optimizers[0]") && r.errorLines().contains("momentum"), r.err());
        var bad = Cli.run("paths", Cli.write(dir, "q.yaml", "surfaces: [{function: rosenbrok, start: [0, 0], optimizers: [sgd]}]\n").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.errorLines().contains("rosenbrock"), bad.err());
    }
}
