package dev.descent.loss;

import dev.descent.tensor.Tensor;

/**
 * Kullback-Leibler divergence, as {@code torch.nn.KLDivLoss}: for log-probabilities x (the
 * model's, e.g. {@code logSoftmax}) and a target distribution y of the same shape,
 * <pre>
 *   l_i = y_i log y_i - y_i x_i            (y_i log y_i = 0 at y_i = 0)      logTarget = false
 *   l_i = e^{y_i} (y_i - x_i)              (y given as log-probabilities)    logTarget = true
 * </pre>
 * reduced. Summed over a distribution this is KL(y || exp(x)). Use {@link Reduction#BATCH_MEAN}
 * (sum / batch size) for the true mean KL per sample; PyTorch's default {@link Reduction#MEAN}
 * divides by the number of elements instead. Differentiable in x and y; at y_i = 0 the term
 * y log y contributes 0 to the gradient with respect to y (its derivative is unbounded there).
 *
 * @param logTarget whether the target holds log-probabilities
 * @param reduction NONE, MEAN (PyTorch's default), SUM or BATCH_MEAN
 */
public record KlDivLoss(boolean logTarget, Reduction reduction) implements Loss {
    public KlDivLoss {
        if (reduction == null) throw new IllegalArgumentException("klDiv: reduction is null; use Reduction.BATCH_MEAN, MEAN, SUM or NONE");
    }

    @Override
    public Tensor apply(Tensor input, Tensor target) {
        Checks.sameShape("klDiv", input, target);
        Tensor loss;
        if (logTarget) {
            loss = target.exp().mul(target.sub(input));
        } else {
            // xlogy(y, y) with 0 log 0 = 0, without a NaN in the gradient at y = 0
            Tensor zero = Checks.scalar(target, 0);
            Tensor nonzero = target.ne(zero);
            Tensor safe = Tensor.where(nonzero, target, Checks.scalar(target, 1));
            Tensor yLogY = Tensor.where(nonzero, target.mul(safe.log()), zero);
            loss = yLogY.sub(target.mul(input));
        }
        return reduction.apply(loss);
    }
}
