package dev.descent.cli.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code paths.html} of {@code descent paths}: each surface's contour chart (embedded) and its table; written atomically. */
public final class PathsReport {
    public static final String HTML = "paths.html";

    /** One surface: its chart, a caption, and a table of where each optimizer ended. */
    public record Figure(Path png, String caption, List<String> header, List<List<String>> rows) {}

    private PathsReport() {}

    public static void write(Path dir, List<Figure> figures, String config) {
        HtmlPage page = new HtmlPage("Optimizer paths");
        page.heading(1, "Optimizer paths", "summary");
        page.paragraph("Each optimizer starts at the ring and ends at the dot; the cross marks the minimum. "
                + "Contour levels are equally spaced in log(1 + f).");
        for (Figure f : figures) {
            page.heading(2, f.caption(), null);
            try {
                page.image(Files.readAllBytes(f.png()), ContourChart.WIDTH, ContourChart.HEIGHT, f.caption());
            } catch (IOException e) {
                throw new ReportException("cannot read " + f.png() + ": " + e.getMessage(), e);
            }
            page.table(f.header(), f.rows());
        }
        page.heading(2, "Configuration", "config");
        page.preformatted(config);
        ReportFiles.write(dir.resolve(HTML), page.finish().getBytes(StandardCharsets.UTF_8));
    }
}
