package dev.descent.cli.compare;

/**
 * One row of the comparison table, computed from a variant's curves.
 *
 * <p>A variant <em>diverged</em> when a training loss was not finite, or rose above
 * {@link #DIVERGED_FACTOR} times its first loss, or the Trainer stopped it for a non-finite loss
 * (with {@code on_nonfinite: stop} that step is never reported, only the reason says so) or
 * failed. The target is judged on the validation loss
 * when the run validates (the same held-out data for every variant, free of one batch's noise)
 * and on the per-step training loss otherwise.
 *
 * @param bestMetric     best validation value of the compared metric (NaN without validation)
 * @param finalMetric    its last validation value
 * @param finalLoss      mean training loss of the last epoch (the last step's loss when no epoch completed)
 * @param stepsToTarget  first step at which the target was reached, -1 when never or no target
 * @param secondsToTarget wall time of that step, NaN when never
 * @param diverged       see above
 * @param steps          steps taken
 * @param seconds        wall time of the last step
 */
public record Summary(double bestMetric, double finalMetric, double finalLoss, long stepsToTarget, double secondsToTarget, boolean diverged,
                      long steps, double seconds) {
    /** A loss this many times the first one counts as diverged. */
    public static final double DIVERGED_FACTOR = 10;

    /** How the Trainer's reason begins when it stopped a run for a non-finite loss. */
    static final String NON_FINITE_STOP = "stopped: loss is ";

    /**
     * @param higherIsBetter whether larger values of the compared metric are better
     * @param target         the target loss, NaN for none
     * @param reason         the Trainer's reason for ending
     */
    public static Summary of(Curves c, boolean higherIsBetter, double target, String reason) {
        boolean diverged = reason.startsWith(NON_FINITE_STOP) || reason.startsWith("failed");
        double first = c.loss().length > 0 ? c.loss()[0] : Double.NaN;
        for (double l : c.loss()) {
            if (!Double.isFinite(l) || (Double.isFinite(first) && l > DIVERGED_FACTOR * Math.abs(first))) {
                diverged = true;
                break;
            }
        }
        double best = Double.NaN, last = Double.NaN;
        for (double v : c.valMetric()) {
            if (!Double.isFinite(v)) continue;
            last = v;
            if (Double.isNaN(best) || (higherIsBetter ? v > best : v < best)) best = v;
        }
        double finalLoss = Double.isFinite(c.lastEpochLoss()) ? c.lastEpochLoss()
                : c.loss().length > 0 ? c.loss()[c.loss().length - 1] : Double.NaN;
        long toTarget = -1;
        double secondsToTarget = Double.NaN;
        if (!Double.isNaN(target)) {
            boolean validated = c.valLoss().length > 0;
            double[] losses = validated ? c.valLoss() : c.loss();
            double[] at = validated ? c.evalStep() : c.step();
            double[] when = validated ? c.evalSeconds() : c.seconds();
            for (int i = 0; i < losses.length; i++) {
                if (losses[i] <= target) {
                    toTarget = (long) at[i];
                    secondsToTarget = when[i];
                    break;
                }
            }
        }
        int n = c.step().length;
        return new Summary(best, last, finalLoss, toTarget, secondsToTarget, diverged, n == 0 ? 0 : (long) c.step()[n - 1],
                n == 0 ? 0 : c.seconds()[n - 1]);
    }
}
