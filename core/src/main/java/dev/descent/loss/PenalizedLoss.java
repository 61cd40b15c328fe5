package dev.descent.loss;

import dev.descent.tensor.Tensor;

/**
 * A loss plus a penalty term: {@code apply(x, y) = loss.apply(x, y) + penalty.compute()}, the
 * penalty evaluated at every call. The wrapped loss must reduce to a scalar: a penalty added to
 * per-element losses would be counted once per element.
 *
 * @param loss    the data term
 * @param penalty the regularization term (see {@link Penalties})
 */
public record PenalizedLoss(Loss loss, Penalty penalty) implements Loss {
    public PenalizedLoss {
        if (loss == null || penalty == null) throw new IllegalArgumentException("withPenalty: loss and penalty must not be null");
    }

    @Override
    public Tensor apply(Tensor input, Tensor target) {
        Tensor data = loss.apply(input, target);
        if (data.numel() != 1) {
            throw new IllegalArgumentException("withPenalty: the loss returned shape " + Checks.shape(data)
                    + " (reduction NONE?); a penalty is added to a scalar loss, so use MEAN or SUM");
        }
        Tensor term = penalty.compute();
        if (term.numel() != 1) {
            throw new IllegalArgumentException("withPenalty: the penalty returned shape " + Checks.shape(term) + ", not a scalar");
        }
        if (term.dtype() != data.dtype()) {
            throw new IllegalArgumentException("withPenalty: the loss is " + data.dtype() + " but the penalty is " + term.dtype()
                    + "; keep parameters and data in one element type");
        }
        return data.add(term.reshape(data.shape()));
    }
}
