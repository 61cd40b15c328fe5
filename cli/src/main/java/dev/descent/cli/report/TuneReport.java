package dev.descent.cli.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * tune.html: the optimization history of a study (each completed trial's value, and the best so
 * far), the leaderboard, and the configuration searched.
 */
public final class TuneReport {
    public static final String HTML = "tune.html";
    public static final String HISTORY = "charts/optimization_history.png";

    private TuneReport() {}

    /**
     * @param trial         numbers of the completed trials, ascending
     * @param value         their values
     * @param higherIsBetter whether the best so far is the running maximum
     */
    public static void write(Path dir, String title, String metric, double[] trial, double[] value, boolean higherIsBetter,
                             List<String> header, List<List<String>> rows, String config) {
        HtmlPage page = new HtmlPage(title);
        page.heading(1, title, "summary");
        page.meta("Trials", Integer.toString(rows.size()));
        page.meta("Completed", Integer.toString(trial.length));
        if (trial.length > 0) {
            double[] best = new double[value.length];
            for (int i = 0; i < value.length; i++) {
                best[i] = i == 0 ? value[0] : higherIsBetter ? Math.max(best[i - 1], value[i]) : Math.min(best[i - 1], value[i]);
            }
            List<Charts.Line> lines = new ArrayList<>();
            lines.add(new Charts.Line(metric, trial, value, Charts.Style.MARKERS, Charts.PALETTE.get(0)));
            lines.add(new Charts.Line("best so far", trial, best, Charts.Style.LINE, Charts.PALETTE.get(1 % Charts.PALETTE.size())));
            Path png = dir.resolve(HISTORY);
            Charts.lines("Optimization history", "trial", metric, lines, png);
            page.heading(2, "Optimization history", "history");
            page.image(read(png), Charts.WIDTH, Charts.HEIGHT, "Each completed trial's " + metric + " and the best so far");
        }
        page.heading(2, "Leaderboard", "leaderboard");
        page.table(header, rows);
        page.heading(2, "Configuration", "config");
        page.preformatted(config);
        AtomicFiles.write(dir.resolve(HTML), page.finish().getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ReportException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
