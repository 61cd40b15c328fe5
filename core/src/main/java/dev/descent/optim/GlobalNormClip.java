package dev.descent.optim;

/**
 * Optimizer transform that clips all gradients to a global p-norm (see {@link GradClip}) and
 * returns the norm before clipping, which the optimizer reports in the step's {@link StepReport}.
 * Stateless.
 */
public final class GlobalNormClip implements GradientTransform {
    private final double maxNorm;
    private final double normType;
    private final boolean errorIfNonfinite;

    GlobalNormClip(double maxNorm, double normType, boolean errorIfNonfinite) {
        GradClip.validateNorm(maxNorm, normType);
        this.maxNorm = maxNorm;
        this.normType = normType;
        this.errorIfNonfinite = errorIfNonfinite;
    }

    @Override
    public void apply(Gradients gradients) {
        applyMeasuring(gradients);
    }

    /** Clips and returns the total norm before clipping. */
    @Override
    public double applyMeasuring(Gradients gradients) {
        return GradClip.clipGradNorm(gradients, maxNorm, normType, errorIfNonfinite);
    }

    @Override
    public boolean measuresNorm() {
        return true;
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
