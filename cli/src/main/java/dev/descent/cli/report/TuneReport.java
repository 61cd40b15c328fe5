package dev.descent.cli.report;

import dev.descent.search.FrozenTrial;
import dev.descent.search.SearchSpace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * tune.html: what a study found, with the charts Optuna users know: the optimization history
 * (each completed trial's value and the best so far), the parameter importances (fANOVA), the
 * parallel coordinates of the trials, a slice plot per parameter, then the leaderboard and the
 * configuration searched. Every chart is also written under {@code charts/}.
 *
 * <p>Without a completed trial the charts are left out with a line saying so; with one, there
 * is no importance (it needs two), and the page says why.
 */
public final class TuneReport {
    public static final String HTML = "tune.html";
    public static final String HISTORY = "charts/optimization_history.png";
    public static final String IMPORTANCE = "charts/param_importance.png";
    public static final String PARALLEL = "charts/parallel_coordinates.png";
    public static final String SLICE = "charts/slice.png";

    /**
     * What the page shows.
     *
     * @param title             page title
     * @param metric            the searched metric
     * @param higherIsBetter    whether the study maximizes it
     * @param space             the search space (axes and parameter order)
     * @param trials            every trial of the study; the charts use the completed ones
     * @param importances       the parameter importances, or why there are none
     * @param leaderboardHeader the leaderboard's column headings
     * @param leaderboardRows   its rows
     * @param config            the configuration file, shown verbatim
     */
    public record Contents(String title, String metric, boolean higherIsBetter, SearchSpace space, List<FrozenTrial> trials,
                           Importances importances, List<String> leaderboardHeader, List<List<String>> leaderboardRows, String config) {
        public Contents {
            Objects.requireNonNull(space, "space");
            trials = List.copyOf(trials);
            Objects.requireNonNull(importances, "importances");
        }
    }

    private TuneReport() {}

    public static void write(Path dir, Contents c) {
        TrialTable table = TrialTable.of(c.space(), c.trials(), c.metric(), c.higherIsBetter());
        HtmlPage page = new HtmlPage(c.title());
        page.heading(1, c.title(), "summary");
        page.meta("Trials", Integer.toString(c.trials().size()));
        page.meta("Completed", Integer.toString(table.size()));
        if (table.size() == 0) {
            page.paragraph("No trial has completed yet, so there is no optimization history, parameter importance, "
                    + "parallel coordinates or slice plot.");
        } else {
            history(dir, page, table);
            importance(dir, page, c.importances(), c.space());
            chart(dir, page, "Parallel coordinates", "parallel", PARALLEL, ParallelCoordinatesChart.png(table),
                    ParallelCoordinatesChart.WIDTH, ParallelCoordinatesChart.HEIGHT,
                    "Each completed trial as a line through its parameter values to its " + c.metric()
                            + "; darker lines are better trials, drawn on top");
            chart(dir, page, "Slice", "slice", SLICE, SliceChart.png(table), SliceChart.WIDTH, SliceChart.height(table.params().size()),
                    c.metric() + " against each parameter; darker points are later trials");
        }
        page.heading(2, "Leaderboard", "leaderboard");
        page.table(c.leaderboardHeader(), c.leaderboardRows());
        page.heading(2, "Configuration", "config");
        page.preformatted(c.config());
        ReportFiles.write(dir.resolve(HTML), page.finish().getBytes(StandardCharsets.UTF_8));
    }

    private static void history(Path dir, HtmlPage page, TrialTable t) {
        double[] best = new double[t.size()];
        for (int i = 0; i < t.size(); i++) best[i] = i == 0 || t.better(t.value()[i], best[i - 1]) ? t.value()[i] : best[i - 1];
        List<Charts.Line> lines = new ArrayList<>();
        lines.add(new Charts.Line(t.metric(), t.number(), t.value(), Charts.Style.MARKERS, Charts.PALETTE.get(0)));
        lines.add(new Charts.Line("best so far", t.number(), best, Charts.Style.LINE, Charts.PALETTE.get(1)));
        byte[] png = Charts.encode(Charts.chart("Optimization history", "trial", t.metric(), lines));
        chart(dir, page, "Optimization history", "history", HISTORY, png, Charts.WIDTH, Charts.HEIGHT,
                "Each completed trial's " + t.metric() + " and the best so far");
    }

    private static void importance(Path dir, HtmlPage page, Importances imp, SearchSpace space) {
        if (!imp.available()) {
            page.heading(2, "Parameter importance", "importance");
            String why = imp.unavailable();
            page.paragraph(Character.toUpperCase(why.charAt(0)) + why.substring(1) + ".");
            return;
        }
        chart(dir, page, "Parameter importance", "importance", IMPORTANCE, ImportanceChart.png(imp.values()), ImportanceChart.WIDTH,
                ImportanceChart.height(imp.values().size()),
                "Share of the metric's variance each parameter explains on its own (fANOVA over a random forest of the completed "
                        + "trials, as Optuna's get_param_importances)");
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, Double> e : imp.values().entrySet()) rows.add(List.of(e.getKey(), Importances.share(e.getValue())));
        page.table(List.of("parameter", "importance"), rows);
        List<String> leftOut = space.names().stream().filter(n -> !imp.values().containsKey(n)).toList();
        if (!leftOut.isEmpty()) {
            page.paragraph("Not analysed, because some completed trials did not set them (fANOVA needs a value in every trial): "
                    + String.join(", ", leftOut) + ".");
        }
    }

    /** A section holding one chart: the PNG written under the run directory and embedded in the page. */
    private static void chart(Path dir, HtmlPage page, String heading, String id, String file, byte[] png, int width, int height, String caption) {
        ReportFiles.write(dir.resolve(file), png);
        page.heading(2, heading, id);
        page.image(png, width, height, caption);
    }
}
