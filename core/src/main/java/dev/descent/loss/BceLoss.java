package dev.descent.loss;

import dev.descent.tensor.Tensor;

/**
 * Binary cross-entropy on probabilities, as {@code torch.nn.BCELoss}:
 * <pre>
 *   l_i = -w_i [ y_i max(log x_i, -100) + (1 - y_i) max(log(1 - x_i), -100) ]
 * </pre>
 * reduced, for inputs x_i in [0, 1] (say, after a sigmoid) and targets y_i (usually 0 or 1; soft
 * labels work). The logarithms are clamped at -100 as in PyTorch, so x_i = 0 with y_i = 1 costs
 * 100 rather than infinity.
 *
 * <h2>Gradient (a fused form)</h2>
 * The gradient with respect to x is PyTorch's formula
 * {@code d l_i / d x_i = w_i (x_i - y_i) / max(x_i (1 - x_i), 1e-12)}, which equals the derivative
 * of the formula above inside (0, 1) but stays finite and informative at the ends: composing
 * clamp and log would give 0 (or NaN) at x_i = 0, exactly where the loss is largest. The value
 * and both gradients are computed in one pass and attached through an exact identity
 * ({@code v + (x g - stop(x) g)} has value v and gradient g), so the fused form records only a
 * few graph nodes. With respect to y the gradient is
 * {@code w_i (max(log(1 - x_i), -100) - max(log x_i, -100))}, the derivative of the clamped value
 * (PyTorch uses the unclamped logit, which is infinite at x_i in {0, 1}). Prefer
 * {@link BceWithLogitsLoss} on logits: it is stabler and cheaper.
 *
 * @param weight    rescaling weight w broadcast to the input's shape, or null for 1
 * @param reduction NONE, MEAN (PyTorch's default) or SUM
 */
public record BceLoss(Tensor weight, Reduction reduction) implements Loss {
    /** PyTorch's floor for x (1 - x) in the gradient's denominator. */
    static final double EPSILON = 1e-12;

    public BceLoss {
        Reduction.checkOrdinary("bce", reduction);
    }

    @Override
    public Tensor apply(Tensor input, Tensor target) {
        Checks.sameShape("bce", input, target);
        if (weight != null) Checks.broadcastsTo("bce", "weight", weight, input.shape());
        double[] x = input.toDoubleArray(), y = target.toDoubleArray();
        double[] value = new double[x.length], dx = new double[x.length], dy = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double xi = x[i], yi = y[i];
            if (!(xi >= 0 && xi <= 1)) {
                throw new IllegalArgumentException("bce: input" + ClassTargets.position(i, input.shape()) + " = " + xi
                        + " is not a probability; all elements of input must be in [0, 1] (apply a sigmoid, or use bceWithLogits)");
            }
            double logX = Math.max(Math.log(xi), -100), log1mX = Math.max(Math.log(1 - xi), -100);
            value[i] = -(yi * logX + (1 - yi) * log1mX);
            dx[i] = (xi - yi) / Math.max(xi * (1 - xi), EPSILON);
            dy[i] = log1mX - logX;
        }
        int[] shape = input.shape();
        Tensor out = Checks.constant(input, value, shape);
        out = withGradient(out, input, Checks.constant(input, dx, shape));
        out = withGradient(out, target, Checks.constant(input, dy, shape));
        if (weight != null) out = out.mul(Checks.as(weight, input.dtype()));
        return reduction.apply(out);
    }

    /**
     * {@code value + (x * g - stop(x) * g)}: the same value (the bracket is exactly zero, as both
     * products are the same floating-point operation on the same operands) with gradient g
     * with respect to x.
     */
    private static Tensor withGradient(Tensor value, Tensor x, Tensor g) {
        if (!x.requiresGrad()) return value;
        return value.add(x.mul(g).sub(x.detach().mul(g)));
    }
}
