package dev.descent.optim;

/**
 * A transform of all gradients together, applied by {@link Optimizer#step()} after gradient
 * accumulation and before the {@link UpdateRule}, in the order the transforms were added. Clipping
 * by global norm or by value and the non-finite check are transforms ({@link GradClip}); users
 * add their own (gradient noise, centralization, ...) through {@link OptimizerSpec#transform}.
 *
 * <p>A transform that keeps state across steps should be stateless or document that its state is
 * not part of {@link OptimizerState}.
 */
@FunctionalInterface
public interface GradientTransform {
    /** Transforms the gradients in place. */
    void apply(Gradients gradients);
}
