package dev.descent.loss;

import dev.descent.tensor.Tensor;

/**
 * Smooth L1 loss, as {@code torch.nn.SmoothL1Loss} (Girshick, "Fast R-CNN", ICCV 2015): with
 * {@code z_i = |x_i - y_i|},
 * <pre>
 *   l_i = 0.5 z_i^2 / beta    if z_i &lt; beta
 *         z_i - 0.5 beta      otherwise
 * </pre>
 * reduced. Quadratic near zero and linear beyond {@code beta}, so large errors do not dominate.
 * {@code beta = 0} is exactly the L1 loss (as in PyTorch). It equals {@link HuberLoss} divided by
 * beta: smoothL1(beta) = huber(delta = beta) / beta.
 *
 * @param beta      where the quadratic part turns linear; &gt;= 0 (PyTorch's default 1.0)
 * @param reduction NONE, MEAN (PyTorch's default) or SUM
 */
public record SmoothL1Loss(double beta, Reduction reduction) implements Loss {
    public SmoothL1Loss {
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("smoothL1: beta must be finite and >= 0, got " + beta);
        }
        Reduction.checkOrdinary("smoothL1", reduction);
    }

    @Override
    public Tensor apply(Tensor input, Tensor target) {
        Checks.sameShape("smoothL1", input, target);
        Tensor d = input.sub(target);
        Tensor z = d.abs();
        if (beta == 0) return reduction.apply(z);
        Tensor quadratic = d.mul(d).mul(0.5 / beta);
        Tensor linear = z.sub(0.5 * beta);
        return reduction.apply(Tensor.where(z.lt(beta), quadratic, linear));
    }
}
