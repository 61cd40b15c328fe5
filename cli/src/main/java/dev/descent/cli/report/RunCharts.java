package dev.descent.cli.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Chooses and draws one run's charts into a directory, skipping those the log has no data for (a
 * run without validation gets no validation charts, a run without clipping no gradient-norm
 * chart). Epochs are plotted 1-based (the first epoch is epoch 1); the log stores them 0-based.
 */
final class RunCharts {
    /** A chart written to disk, with what the report says about it. */
    record Figure(Path png, String caption, int width, int height) {}

    private final Path dir;
    private final List<Figure> figures = new ArrayList<>();

    private RunCharts(Path dir) {
        this.dir = dir;
    }

    /** Draws every chart the data supports into dir and returns them in report order. */
    static List<Figure> draw(RunLog log, ConfusionMatrix confusion, Path dir) {
        RunCharts c = new RunCharts(dir);
        c.lossPerStep(log);
        c.lossPerEpoch(log);
        c.perRound(log);
        c.validationMetrics(log);
        c.perStep(log, "lr", "Learning rate per step", "learning rate", "lr.png");
        c.perStep(log, "grad_norm", "Gradient norm per step (before clipping)", "global gradient norm", "grad_norm.png");
        if (confusion != null) {
            Path png = dir.resolve("confusion_matrix.png");
            ConfusionChart.write(confusion, png);
            ConfusionChart.Layout l = ConfusionChart.Layout.of(confusion);
            c.figures.add(new Figure(png, "Confusion matrix: rows are the true class, columns the predicted class; shade ~ sqrt(count)", l.width(), l.height()));
        }
        return List.copyOf(c.figures);
    }

    private void lossPerStep(RunLog log) {
        List<Charts.Line> lines = new ArrayList<>();
        if (RunLog.hasAny(log.steps(), "loss")) {
            double[] x = steps(log.steps()), y = column(log.steps(), "loss");
            int span = Smoothing.span(Charts.finite(x, y)[0].length);
            lines.add(new Charts.Line("train loss", x, y, Charts.Style.FAINT, Charts.PALETTE.get(0)));
            lines.add(new Charts.Line("train loss (EMA, span " + span + ")", x, Smoothing.ema(y, span), Charts.Style.LINE, Charts.PALETTE.get(0)));
        }
        // Validation every N steps gives eval records; validation per epoch may only leave its
        // mark in the epoch records, which carry the step too.
        List<LogRow> val = RunLog.hasAny(log.evals(), "val_loss") ? log.evals() : log.epochs();
        if (RunLog.hasAny(val, "val_loss")) {
            lines.add(new Charts.Line("validation loss", steps(val), column(val, "val_loss"), Charts.Style.MARKERS, Charts.PALETTE.get(1)));
        }
        if (!lines.isEmpty()) add("Loss per step", "step", "loss", lines, "loss_steps.png", "Training loss per logged step (raw and smoothed) and validation loss at each evaluation");
    }

    private void lossPerEpoch(RunLog log) {
        List<LogRow> rows = log.epochs();
        List<Charts.Line> lines = new ArrayList<>();
        if (RunLog.hasAny(rows, "loss")) lines.add(new Charts.Line("train loss (epoch mean)", epochs(rows), column(rows, "loss"), Charts.Style.LINE, Charts.PALETTE.get(0)));
        if (RunLog.hasAny(rows, "val_loss")) lines.add(new Charts.Line("validation loss", epochs(rows), column(rows, "val_loss"), Charts.Style.LINE, Charts.PALETTE.get(1)));
        if (!lines.isEmpty()) add("Loss per epoch", "epoch", "loss", lines, "loss_epochs.png", "Mean training loss and validation loss at the end of each epoch");
    }

    /**
     * A federated run's rounds: the sampled clients' mean local loss and the global model's
     * validation loss, and the client drift (mean L2 distance of the clients' states from the
     * round's global state), against the round number.
     */
    private void perRound(RunLog log) {
        List<LogRow> rows = log.rounds();
        List<Charts.Line> lines = new ArrayList<>();
        if (RunLog.hasAny(rows, "client_loss")) {
            lines.add(new Charts.Line("client loss (mean of the local training)", steps(rows), column(rows, "client_loss"), Charts.Style.LINE,
                    Charts.PALETTE.get(0)));
        }
        if (RunLog.hasAny(rows, "val_loss")) lines.add(new Charts.Line("validation loss", steps(rows), column(rows, "val_loss"), Charts.Style.LINE, Charts.PALETTE.get(1)));
        if (!lines.isEmpty()) add("Loss per round", "round", "loss", lines, "loss_rounds.png", "The sampled clients' mean local training loss and the global model's validation loss after each round");
        if (RunLog.hasAny(rows, "drift")) {
            add("Client drift per round", "round", "mean L2 distance", List.of(new Charts.Line("drift", steps(rows), column(rows, "drift"), Charts.Style.LINE,
                    Charts.PALETTE.get(2))), "drift_rounds.png", "Client drift: mean L2 distance of the clients' states from the round's global state");
        }
    }

    /**
     * Validation metrics other than val_loss, per epoch (per round for a federated run). Metrics whose values all lie in [0, 1]
     * (accuracy, F1, ...) share one chart; any other gets its own, so a metric on a different scale
     * does not flatten the rest.
     */
    private void validationMetrics(RunLog log) {
        boolean perEpoch = hasValidationMetric(log.epochs()), perRound = !perEpoch && hasValidationMetric(log.rounds());
        List<LogRow> rows = perEpoch ? log.epochs() : perRound ? log.rounds() : log.evals();
        double[] x = perEpoch ? epochs(rows) : steps(rows);
        String xLabel = perEpoch ? "epoch" : perRound ? "round" : "step";
        String per = perEpoch ? "per epoch" : perRound ? "per round" : "per evaluation";
        List<Charts.Line> unit = new ArrayList<>();
        for (String name : RunLog.names(rows)) {
            if (!name.startsWith("val_") || name.equals("val_loss") || !RunLog.hasAny(rows, name)) continue;
            double[] y = column(rows, name);
            String label = name.substring("val_".length());
            if (inUnitInterval(y)) {
                unit.add(new Charts.Line(label, x, y, Charts.Style.LINE, Charts.PALETTE.get(unit.size() % Charts.PALETTE.size())));
            } else {
                add("Validation " + label + " " + per, xLabel, label, List.of(new Charts.Line(label, x, y, Charts.Style.LINE, Charts.PALETTE.get(2))),
                        fileName(name), "Validation " + label + " " + per);
            }
        }
        if (!unit.isEmpty()) {
            add("Validation metrics " + per, xLabel, "value", unit, "val_metrics.png", "Validation metrics with values in [0, 1], " + per);
        }
    }

    private void perStep(RunLog log, String name, String title, String yLabel, String file) {
        if (!RunLog.hasAny(log.steps(), name)) return;
        add(title, "step", yLabel, List.of(new Charts.Line(name, steps(log.steps()), column(log.steps(), name), Charts.Style.LINE, Charts.PALETTE.get(2))),
                file, title);
    }

    private void add(String title, String xLabel, String yLabel, List<Charts.Line> lines, String file, String caption) {
        Path png = dir.resolve(file);
        Charts.lines(title, xLabel, yLabel, lines, png);
        figures.add(new Figure(png, caption, Charts.WIDTH, Charts.HEIGHT));
    }

    private static boolean hasValidationMetric(List<LogRow> rows) {
        for (String name : RunLog.names(rows)) if (name.startsWith("val_") && !name.equals("val_loss") && RunLog.hasAny(rows, name)) return true;
        return false;
    }

    private static boolean inUnitInterval(double[] y) {
        for (double v : y) if (Double.isFinite(v) && (v < 0 || v > 1)) return false;
        return true;
    }

    /** A metric name made safe as a file name ("val_top-5 acc" becomes "val_top-5_acc.png"). */
    static String fileName(String metric) {
        return metric.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]+", "_") + ".png";
    }

    static double[] column(List<LogRow> rows, String name) {
        double[] v = new double[rows.size()];
        for (int i = 0; i < v.length; i++) v[i] = rows.get(i).get(name);
        return v;
    }

    static double[] steps(List<LogRow> rows) {
        double[] v = new double[rows.size()];
        for (int i = 0; i < v.length; i++) v[i] = rows.get(i).step();
        return v;
    }

    static double[] epochs(List<LogRow> rows) {
        double[] v = new double[rows.size()];
        for (int i = 0; i < v.length; i++) v[i] = rows.get(i).epoch();
        return v;
    }
}
