package dev.descent.loss;

import dev.descent.tensor.Tensor;

/**
 * Huber loss, as {@code torch.nn.HuberLoss} (Huber, "Robust Estimation of a Location Parameter",
 * Annals of Mathematical Statistics, 1964): with {@code z_i = |x_i - y_i|},
 * <pre>
 *   l_i = 0.5 z_i^2                  if z_i &lt; delta
 *         delta (z_i - 0.5 delta)    otherwise
 * </pre>
 * reduced. The gradient is the error clipped to [-delta, delta]. Equals
 * {@code delta * smoothL1(beta = delta)}.
 *
 * @param delta     where the quadratic part turns linear; &gt; 0 (PyTorch's default 1.0)
 * @param reduction NONE, MEAN (PyTorch's default) or SUM
 */
public record HuberLoss(double delta, Reduction reduction) implements Loss {
    public HuberLoss {
        if (!(delta > 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("huber: delta must be finite and > 0, got " + delta);
        }
        Reduction.checkOrdinary("huber", reduction);
    }

    @Override
    public Tensor apply(Tensor input, Tensor target) {
        Checks.sameShape("huber", input, target);
        Tensor d = input.sub(target);
        Tensor z = d.abs();
        Tensor quadratic = d.mul(d).mul(0.5);
        Tensor linear = z.sub(0.5 * delta).mul(delta);
        return reduction.apply(Tensor.where(z.lt(delta), quadratic, linear));
    }
}
