package dev.descent.loss;

import dev.descent.tensor.Tensor;

/**
 * Mean absolute error, as {@code torch.nn.L1Loss}: {@code l_i = |x_i - y_i|}, reduced.
 *
 * <p>Input and target must have the same shape. Differentiable in both; at x_i = y_i the
 * gradient is 0 (the subgradient PyTorch picks, sign(0) = 0).
 *
 * @param reduction NONE, MEAN (PyTorch's default) or SUM
 */
public record L1Loss(Reduction reduction) implements Loss {
    public L1Loss {
        Reduction.checkOrdinary("l1", reduction);
    }

    @Override
    public Tensor apply(Tensor input, Tensor target) {
        Checks.sameShape("l1", input, target);
        return reduction.apply(input.sub(target).abs());
    }
}
