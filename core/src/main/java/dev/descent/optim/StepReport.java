package dev.descent.optim;

/**
 * What one {@link Optimizer#step()} did, as a value: whether it applied an update, the rate it
 * used (or, for a micro-batch of an accumulation, the rate the coming update will use) in the
 * default group, and the total gradient norm before any transform changed the gradients.
 *
 * @param applied  whether an update was applied (false for a micro-batch of an accumulation)
 * @param lr       the default group's learning rate of this update (of the coming one when not applied)
 * @param gradNorm the total gradient norm before the transforms: the norm a global-norm clip
 *                 measured (in its norm type), otherwise the L2 norm; NaN when not applied
 */
public record StepReport(boolean applied, double lr, double gradNorm) {}
