package dev.descent.cli.compare;

import dev.descent.train.Callback;
import dev.descent.train.TrainingControl;
import dev.descent.train.TrainingEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A callback that keeps one variant's curves in memory as the trainer reports them: the loss,
 * learning rate and wall time of every step, every validation, and each epoch's mean training
 * loss. It only listens; the Trainer trains.
 *
 * <p>Its clock counts training only: the time from the previous step (or the start of the epoch)
 * to each step. Validation and what other callbacks do at the end of an epoch (checkpoints) are
 * left out, because full-batch descent validates after every step and would otherwise be charged
 * for it. The Trainer's own {@code seconds} includes them.
 */
final class Recorder implements Callback {
    private final List<double[]> steps = new ArrayList<>();   // {step, seconds, loss, lr}
    private final List<double[]> evals = new ArrayList<>();   // {step, seconds, val_loss, val_metric}
    private String metric;
    private double lastSeconds;
    private double trainSeconds;
    private long mark = System.nanoTime();
    private double lastEpochLoss = Double.NaN;

    @Override
    public void onEvent(TrainingEvent event, TrainingControl control) {
        switch (event) {
            case TrainingEvent.Start s -> mark = System.nanoTime();
            case TrainingEvent.EpochStart s -> mark = System.nanoTime();
            case TrainingEvent.Step s -> {
                long now = System.nanoTime();
                trainSeconds += (now - mark) / 1e9;
                mark = now;
                steps.add(new double[] {s.step(), trainSeconds, s.loss(), s.lr()});
                lastSeconds = trainSeconds;
            }
            // Validation follows a step and is placed at that step's time.
            case TrainingEvent.Evaluated e -> {
                if (metric == null) metric = comparedMetric(e.metrics());
                evals.add(new double[] {e.step(), lastSeconds, value(e.metrics(), "val_loss"), value(e.metrics(), metric)});
                mark = System.nanoTime();
            }
            case TrainingEvent.EpochEnd e -> {
                lastEpochLoss = value(e.metrics(), "loss");
                mark = System.nanoTime();
            }
            default -> { }
        }
    }

    /** The first metric the config lists ("val_accuracy"), or val_loss when it lists none. */
    private static String comparedMetric(Map<String, Double> m) {
        for (String k : m.keySet()) if (!k.equals("val_loss")) return k;
        return "val_loss";
    }

    /** The compared validation metric's name, null before the first validation. */
    String metric() {
        return metric;
    }

    private static double value(Map<String, Double> m, String key) {
        Double v = m.get(key);
        return v == null ? Double.NaN : v;
    }

    /** What was recorded so far. */
    Curves curves() {
        return new Curves(column(steps, 0), column(steps, 1), column(steps, 2), column(steps, 3),
                column(evals, 0), column(evals, 1), column(evals, 2), column(evals, 3), lastEpochLoss);
    }

    private static double[] column(List<double[]> rows, int c) {
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) out[i] = rows.get(i)[c];
        return out;
    }
}
