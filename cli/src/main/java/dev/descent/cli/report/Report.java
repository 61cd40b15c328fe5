package dev.descent.cli.report;

import dev.descent.train.RunFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A training run's report: charts as PNG files under {@code <runDir>/charts/} and
 * {@code <runDir>/report.html}, one self-contained page with the run's name, how it ended, a
 * final-metrics table, the test metrics (when the run had test data), every chart (embedded) and
 * the run's configuration.
 *
 * <p>Inputs in the run directory:
 * <ul>
 *   <li>{@code metrics.jsonl} (required): the trainer's metrics log, see {@link RunLog}</li>
 *   <li>{@code confusion_matrix.json} (optional): see {@link ConfusionMatrix} for the format</li>
 *   <li>{@code config.yaml} (optional): shown verbatim</li>
 * </ul>
 * Every output file is written atomically, so a report being regenerated is never seen half
 * written. Charts the data cannot support (no validation, no gradient norms) are left out.
 */
public final class Report {
    public static final String HTML = "report.html";
    public static final String CHARTS = "charts";

    private Report() {}

    /**
     * Builds the report for the run in runDir.
     *
     * @throws ReportException naming the file at fault: metrics.jsonl missing, empty or malformed,
     *                         a malformed confusion matrix, or an output that cannot be written
     */
    public static void write(Path runDir) {
        RunLog log = RunLog.read(runDir.resolve(RunFiles.METRICS));
        Path cmFile = runDir.resolve(RunFiles.CONFUSION);
        ConfusionMatrix confusion = Files.exists(cmFile) ? ConfusionMatrix.read(cmFile) : null;
        Path configFile = runDir.resolve(RunFiles.CONFIG);
        String config = Files.exists(configFile) ? readText(configFile) : null;

        List<RunCharts.Figure> figures = RunCharts.draw(log, confusion, runDir.resolve(CHARTS));

        String name = runName(runDir);
        HtmlPage page = new HtmlPage("Training report: " + name);
        page.heading(1, "Training report: " + name, "summary");
        page.meta("End", log.endReason() != null ? log.endReason() : "no end record (the run is still going, or was killed)");
        if (!log.rounds().isEmpty()) page.meta("Rounds completed", Long.toString(log.rounds().getLast().step()));
        else page.meta("Steps", Long.toString(lastStep(log)));
        if (!log.epochs().isEmpty()) page.meta("Epochs completed", Integer.toString(log.epochs().size()));
        double seconds = lastFinite(RunCharts.column(log.steps(), "seconds"));
        if (Double.isFinite(seconds)) page.meta("Training time", duration(seconds));
        long skipped = log.steps().stream().filter(r -> r.get("skipped") == 1.0).count();
        if (skipped > 0) page.meta("Skipped steps (non-finite loss)", skipped + " of the logged steps");

        page.heading(2, "Final metrics", "metrics");
        List<List<String>> table = FinalMetrics.rows(log);
        if (table.isEmpty()) page.paragraph("No finite metric values were logged.");
        else page.table(FinalMetrics.header(log), table);

        if (log.test() != null) {
            page.heading(2, "Test metrics", "test");
            page.paragraph("On the test data after training, with " + (log.testCheckpoint() != null ? log.testCheckpoint() : "the final weights") + ".");
            List<List<String>> rows = new java.util.ArrayList<>();
            log.test().values().forEach((k, v) -> rows.add(List.of(k, FinalMetrics.format(v))));
            page.table(List.of("metric", "value"), rows);
        }

        page.heading(2, "Charts", "charts");
        for (RunCharts.Figure f : figures) page.image(readBytes(f.png()), f.width(), f.height(), f.caption());

        page.heading(2, "Configuration", "config");
        if (config != null) page.preformatted(config);
        else page.paragraph("No " + RunFiles.CONFIG + " in the run directory.");

        ReportFiles.write(runDir.resolve(HTML), page.finish().getBytes(StandardCharsets.UTF_8));
    }

    private static String runName(Path runDir) {
        Path abs = runDir.toAbsolutePath().normalize();
        return abs.getFileName() != null ? abs.getFileName().toString() : abs.toString();
    }

    private static long lastStep(RunLog log) {
        if (log.endStep() >= 0) return log.endStep();
        long s = 0;
        for (List<LogRow> rows : List.of(log.steps(), log.evals(), log.epochs())) for (LogRow r : rows) s = Math.max(s, r.step());
        return s;
    }

    private static double lastFinite(double[] v) {
        for (int i = v.length - 1; i >= 0; i--) if (Double.isFinite(v[i])) return v[i];
        return Double.NaN;
    }

    private static String duration(double seconds) {
        Duration d = Duration.ofMillis(Math.round(seconds * 1000));
        if (d.toHours() > 0) return String.format(java.util.Locale.ROOT, "%dh %02dm %02ds", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
        if (d.toMinutes() > 0) return String.format(java.util.Locale.ROOT, "%dm %02ds", d.toMinutes(), d.toSecondsPart());
        return String.format(java.util.Locale.ROOT, "%.1fs", seconds);
    }

    private static String readText(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ReportException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readBytes(Path file) {
        try {
            // Read back from disk so the page embeds exactly the PNG that charts/ holds.
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ReportException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
