package dev.descent.loss;

import dev.descent.tensor.Tensor;

/**
 * Binary cross-entropy on logits, as {@code torch.nn.BCEWithLogitsLoss}: for logits x_i,
 * targets y_i, positive-class weight p (broadcast along the last dimension) and weight w,
 * <pre>
 *   l_i = w_i [ (1 - y_i) x_i + (1 + (p - 1) y_i) softplus(-x_i) ]
 *       = -w_i [ p y_i log sigmoid(x_i) + (1 - y_i) log(1 - sigmoid(x_i)) ]
 * </pre>
 * reduced. Without p this is {@code max(x, 0) - x y + log(1 + e^-|x|)}; softplus(-x) =
 * log(1 + e^-x) is evaluated stably (linear beyond 20, log1p below), so logits of any size give a
 * finite loss and a gradient {@code w (1 + (p - 1) y) sigmoid(x) - w p y} (PyTorch's
 * backward formula) that is exact at x = 0 as well. p &gt; 1 raises recall, p &lt; 1 precision.
 * Differentiable in x and y.
 *
 * @param posWeight weight p of the positive examples, broadcast to the input (typically one per
 *                  class, shape [C]), or null for 1
 * @param weight    rescaling weight w broadcast to the input, or null for 1
 * @param reduction NONE, MEAN (PyTorch's default) or SUM
 */
public record BceWithLogitsLoss(Tensor posWeight, Tensor weight, Reduction reduction) implements Loss {
    public BceWithLogitsLoss {
        Reduction.checkOrdinary("bceWithLogits", reduction);
    }

    @Override
    public Tensor apply(Tensor input, Tensor target) {
        Checks.sameShape("bceWithLogits", input, target);
        // Without weights, mean and sum of float32 tensors run as one fused operation (same loss bits; FusedRegressionLosses).
        if (posWeight == null && weight == null && (reduction == Reduction.MEAN || reduction == Reduction.SUM)
                && FusedRegressionLosses.applies(input, target, false)) {
            return FusedRegressionLosses.bceWithLogits(input, target, reduction == Reduction.MEAN);
        }
        Tensor softplusNeg = input.neg().softplus();
        Tensor loss = target.neg().add(1).mul(input);
        if (posWeight != null) {
            Checks.broadcastsTo("bceWithLogits", "posWeight", posWeight, input.shape());
            Tensor logWeight = Checks.as(posWeight, input.dtype()).sub(1).mul(target).add(1);
            loss = loss.add(logWeight.mul(softplusNeg));
        } else {
            loss = loss.add(softplusNeg);
        }
        if (weight != null) {
            Checks.broadcastsTo("bceWithLogits", "weight", weight, input.shape());
            loss = loss.mul(Checks.as(weight, input.dtype()));
        }
        return reduction.apply(loss);
    }
}
