/**
 * Optimizers as composable gradient transforms with explicit state, behind a PyTorch-feel facade.
 *
 * <h2>Shape of an optimizer</h2>
 * An {@link dev.descent.optim.OptimizerSpec} (from the factories in
 * {@link dev.descent.optim.Optimizers}) is a chain: gradient accumulation, then
 * {@link dev.descent.optim.GradientTransform}s over all gradients together (clipping by global norm
 * or by value, non-finite checks, your own), then a fused
 * {@link dev.descent.optim.UpdateRule} per parameter (SGD, Adagrad, Adadelta, RMSprop, Adam/AdamW,
 * Adamax, NAdam, RAdam, Lion). Binding it to named parameters gives an
 * {@link dev.descent.optim.Optimizer} with {@code step()} and {@code zeroGrad()}. All state (step
 * count and buffers such as {@code exp_avg}) is an explicit
 * {@link dev.descent.optim.OptimizerState} that saves and restores exactly.
 *
 * <h2>Regularization is a role, not a package</h2>
 * Weight decay and gradient clipping are optimizer transforms and live here: coupled L2 decay
 * ({@code g <- g + lambda theta}) and decoupled decay ({@code theta <- theta (1 - lr lambda)},
 * AdamW and Lion) are per-element steps of the update (fused into the rule's single loop, which
 * changes no rounding), with a weight decay per parameter group
 * ({@link dev.descent.optim.ParamGroups#noDecayOnBiasAndNorm()}); clipping is a
 * {@link dev.descent.optim.GradientTransform} ({@link dev.descent.optim.GradClip}). L1/L2 penalties
 * are loss terms, dropout and batch norm are layers, early stopping is a callback, label smoothing
 * is an option of cross-entropy.
 *
 * <h2>Numbers</h2>
 * Every rule computes in float32 in PyTorch 1.13's order of operations and agrees with PyTorch's
 * reference trajectories to about 1e-5 relative (PyTorch's vectorized CPU kernels use fused
 * multiply-adds on part of each tensor, so bit equality with PyTorch is not possible in general).
 * Results are deterministic and independent of the thread count.
 *
 * <p>Depends only on {@code dev.descent.tensor} and {@code dev.descent.schedule}.
 */
package dev.descent.optim;
