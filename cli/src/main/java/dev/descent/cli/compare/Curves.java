package dev.descent.cli.compare;

/**
 * One variant's recorded curves. Step arrays share indices; evaluation arrays share theirs.
 *
 * @param step           optimizer step (1 after the first)
 * @param seconds        training time up to that step (validation and checkpoints excluded, see Recorder)
 * @param loss           the step's training loss (its batch)
 * @param lr             the learning rate the step used
 * @param evalStep       the step each validation followed
 * @param evalSeconds    the wall time of that step
 * @param valLoss        validation loss
 * @param valMetric      the compared validation metric (NaN when there is none)
 * @param lastEpochLoss  mean training loss of the last completed epoch (NaN when none completed)
 */
public record Curves(double[] step, double[] seconds, double[] loss, double[] lr, double[] evalStep, double[] evalSeconds,
                     double[] valLoss, double[] valMetric, double lastEpochLoss) {}
