/**
 * Tensors and reverse-mode automatic differentiation.
 *
 * <p>{@link dev.descent.tensor.Tensor} is a float32 (or float64) n-dimensional array with
 * strided views and NumPy broadcasting. Operations record a graph when an input
 * {@linkplain dev.descent.tensor.Tensor#requiresGrad() requires gradients} and
 * {@link dev.descent.tensor.GradMode} is enabled; {@code backward()} walks it in reverse.
 *
 * <p>Derivative rules exist only for a small closed set of primitives: add, sub, mul, div, neg,
 * pow, exp, log, sqrt, abs, relu, sigmoid, tanh, erf, softplus, maximum, minimum, clamp, where,
 * sum, max, reshape, permute, narrow, expand, contiguous, cat, matmul, conv2d, max/avg pooling,
 * gather, index-select and scatter-add. Everything else (mean, var, logsumexp, softmax,
 * log-softmax, stack, squeeze, ...) is composed from them. Each primitive is checked against
 * central finite differences in float64. For speed, a few float32 compositions also run as one
 * fused operation with its own rule: {@code linear}, {@code softmaxCrossEntropy} and
 * {@code reluMaxPool2d}; their values equal the composed expression's, and their gradients are
 * checked against it and against float64. Operations defined elsewhere join autograd through
 * {@link dev.descent.tensor.CustomOp} (a value and its vector-Jacobian rule), checked with
 * {@link dev.descent.tensor.GradientCheck}; the fused MSE and BCE-with-logits losses live in
 * {@code loss} that way.
 *
 * <p>{@link dev.descent.tensor.CapturedStep} runs a training step eagerly once, records the
 * storage it allocates, and replays later steps on buffers planned once.
 *
 * <p>Randomness always comes from an explicit {@link dev.descent.tensor.Generator}.
 */
package dev.descent.tensor;
