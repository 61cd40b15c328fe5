/**
 * Loss functions: differentiable measures of how far a model's output is from its target,
 * matching PyTorch 1.13's {@code torch.nn} losses value for value and gradient for gradient.
 *
 * <p>Every loss is a {@link dev.descent.loss.Loss}, made by a static factory of
 * {@link dev.descent.loss.Losses} with PyTorch's option names ({@code weight}, {@code ignoreIndex},
 * {@code labelSmoothing}, {@code posWeight}, {@code beta}, {@code delta}, ...) and a
 * {@link dev.descent.loss.Reduction}. Losses are built by composing differentiable
 * {@link dev.descent.tensor.Tensor} operations, so their gradients come from autograd; the one
 * exception, binary cross-entropy on probabilities, is a fused form whose gradient is PyTorch's
 * clamped formula (see {@link dev.descent.loss.BceLoss}).
 *
 * <h2>Regularization is a role, not a package</h2>
 * L1 and L2 penalties on parameters are <em>loss terms</em>, so they live here:
 * {@link dev.descent.loss.Penalties} computes them and {@link dev.descent.loss.Losses#withPenalty}
 * adds one to any loss. The other regularizers live where their role puts them: weight decay
 * (coupled or decoupled) and gradient clipping are optimizer transforms, dropout and batch
 * normalization are layers, early stopping is a training callback, and label smoothing is an
 * option of cross-entropy ({@link dev.descent.loss.CrossEntropyLoss}).
 *
 * <h2>Layering</h2>
 * This package depends on {@code dev.descent.tensor} only (not on {@code nn} or {@code optim},
 * which sit beside it in the same layer).
 */
package dev.descent.loss;
