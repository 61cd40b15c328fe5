package dev.descent.loss;

import dev.descent.tensor.Tensor;

/**
 * Mean squared error, as {@code torch.nn.MSELoss}: {@code l_i = (x_i - y_i)^2}, reduced.
 *
 * <p>Input and target must have the same shape. Differentiable in both (d l_i / d x_i =
 * 2 (x_i - y_i), and the negative of that for y_i).
 *
 * @param reduction NONE, MEAN (PyTorch's default) or SUM
 */
public record MseLoss(Reduction reduction) implements Loss {
    public MseLoss {
        Reduction.checkOrdinary("mse", reduction);
    }

    @Override
    public Tensor apply(Tensor input, Tensor target) {
        Checks.sameShape("mse", input, target);
        // Mean and sum of float32 tensors of one shape run as one fused operation (same loss bits; FusedRegressionLosses).
        if ((reduction == Reduction.MEAN || reduction == Reduction.SUM) && FusedRegressionLosses.applies(input, target, true)) {
            return FusedRegressionLosses.mse(input, target, reduction == Reduction.MEAN);
        }
        Tensor d = input.sub(target);
        return reduction.apply(d.mul(d));
    }
}
