/**
 * Neural network layers: {@link dev.descent.nn.Module} (parameters, buffers and PyTorch-compatible
 * state dict names, train/eval modes), {@link dev.descent.nn.Sequential}, the layers
 * ({@link dev.descent.nn.Linear}, {@link dev.descent.nn.Conv2d}, pooling, {@link dev.descent.nn.Flatten},
 * {@link dev.descent.nn.BatchNorm1d}, {@link dev.descent.nn.BatchNorm2d},
 * {@link dev.descent.nn.LayerNorm}, {@link dev.descent.nn.Dropout},
 * {@link dev.descent.nn.Embedding}), the activations ({@link dev.descent.nn.Activations}) and the
 * weight initializers ({@link dev.descent.nn.Init}). Every layer agrees with PyTorch on the
 * reference fixtures, forward and backward.
 *
 * <p>Regularization is a role, not a package. Dropout and batch norm are regularization layers and
 * live here; weight decay and gradient clipping are optimizer transforms (optim), L1/L2 penalties
 * are loss terms (loss), early stopping is a training callback, label smoothing is an option of
 * cross-entropy.
 *
 * <p>Layering: this package depends only on {@code dev.descent.tensor}. Randomness (initializers,
 * dropout masks) always comes from an explicit {@link dev.descent.tensor.Generator}; the train/eval
 * mode is a property of each module, never global.
 */
package dev.descent.nn;
