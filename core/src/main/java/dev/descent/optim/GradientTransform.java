package dev.descent.optim;

/**
 * A transform of all gradients together, applied by {@link Optimizer#step()} after gradient
 * accumulation and before the {@link UpdateRule}, in the order the transforms were added. Clipping
 * by global norm or by value and the non-finite check are transforms ({@link GradClip}); users
 * add their own (gradient noise, centralization, ...) through {@link OptimizerSpec#transform}.
 *
 * <p>A transform should be stateless: what it measures comes back as a value
 * ({@link #applyMeasuring}), which the optimizer puts into the step's {@link StepReport}. A
 * transform that keeps state across steps must document that its state is not part of
 * {@link OptimizerState}.
 */
@FunctionalInterface
public interface GradientTransform {
    /** Transforms the gradients in place. */
    void apply(Gradients gradients);

    /**
     * Transforms the gradients in place and returns the total gradient norm it measured before
     * changing them, or NaN when it measures none (the default). The first transform that
     * {@link #measuresNorm() measures} gives the norm of the step's {@link StepReport}.
     */
    default double applyMeasuring(Gradients gradients) {
        apply(gradients);
        return Double.NaN;
    }

    /** Whether {@link #applyMeasuring} returns the total norm (then the optimizer need not measure it). */
    default boolean measuresNorm() {
        return false;
    }
}
