package dev.descent.optim;

/**
 * Optimizer transform that clips all gradients to a global p-norm (see {@link GradClip}) and
 * remembers the norm before clipping of the last step, for logging.
 */
public final class GlobalNormClip implements GradientTransform {
    private final double maxNorm;
    private final double normType;
    private final boolean errorIfNonfinite;
    private double lastTotalNorm = Double.NaN;

    GlobalNormClip(double maxNorm, double normType, boolean errorIfNonfinite) {
        GradClip.validateNorm(maxNorm, normType);
        this.maxNorm = maxNorm;
        this.normType = normType;
        this.errorIfNonfinite = errorIfNonfinite;
    }

    @Override
    public void apply(Gradients gradients) {
        lastTotalNorm = GradClip.clipGradNorm(gradients, maxNorm, normType, errorIfNonfinite);
    }

    /** The total gradient norm before clipping at the last step (NaN before the first). */
    public double lastTotalNorm() {
        return lastTotalNorm;
    }

    /** The largest total norm let through. */
    public double maxNorm() {
        return maxNorm;
    }

    /** The p of the p-norm ({@code Double.POSITIVE_INFINITY} for the max norm). */
    public double normType() {
        return normType;
    }

    /** Whether a NaN or infinite total norm throws {@link NonFiniteGradientException}. */
    public boolean errorIfNonfinite() {
        return errorIfNonfinite;
    }
}
