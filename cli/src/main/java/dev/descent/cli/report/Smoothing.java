package dev.descent.cli.report;

/**
 * The smoothed training-loss line: a bias-corrected exponential moving average (as TensorBoard
 * draws it), so the first points are not pulled toward zero. The span grows with the run so a
 * 300-step and a 30,000-step run both get a line that shows the trend rather than the noise.
 */
final class Smoothing {
    private Smoothing() {}

    /** EMA span for a series of n points: about n/30, at least 5. */
    static int span(int n) {
        return Math.max(5, n / 30);
    }

    /**
     * Bias-corrected EMA with decay {@code 1 - 2/(span+1)}. Non-finite inputs are skipped: the
     * average carries over them and their output is NaN, so they plot as gaps, not as zeros.
     */
    static double[] ema(double[] y, int span) {
        if (span < 1) throw new IllegalArgumentException("span must be >= 1, got " + span);
        double beta = 1.0 - 2.0 / (span + 1);
        double[] out = new double[y.length];
        double avg = 0, correction = 1;
        for (int i = 0; i < y.length; i++) {
            if (!Double.isFinite(y[i])) {
                out[i] = Double.NaN;
                continue;
            }
            avg = beta * avg + (1 - beta) * y[i];
            correction *= beta;
            out[i] = avg / (1 - correction);
        }
        return out;
    }
}
