package dev.descent.loss;

import dev.descent.tensor.Tensor;

/**
 * Negative log-likelihood of class indices, as {@code torch.nn.NLLLoss}: for log-probabilities
 * q of shape [N, C], [N, C, d1, ...] or [C] and class-index targets t (shape [N], [N, d1, ...]
 * or [], whole numbers in [0, C) or {@code ignoreIndex}),
 * <pre>
 *   l = -w[t] q[t]          (0 where t == ignoreIndex)
 *   MEAN = sum l / sum w[t] over the positions not ignored (NaN if all are ignored, as in PyTorch)
 * </pre>
 * The input is usually {@code logSoftmax} of logits, making this {@link CrossEntropyLoss} without
 * smoothing.
 *
 * @param weight      one weight per class, shape [C], or null for 1
 * @param ignoreIndex target value whose positions count for nothing (PyTorch's default -100)
 * @param reduction   NONE, MEAN (PyTorch's default) or SUM
 */
public record NllLoss(Tensor weight, int ignoreIndex, Reduction reduction) implements Loss {
    public NllLoss {
        Checks.classWeights("nll", weight);
        Reduction.checkOrdinary("nll", reduction);
    }

    @Override
    public Tensor apply(Tensor input, Tensor target) {
        ClassTargets t = ClassTargets.read("nll", input, target, ignoreIndex, "");
        double[] w = Checks.classWeights("nll", weight);
        Checks.classWeightCount("nll", w, t.classes);
        Tensor perPosition = contract(t.coefficients(input, w, 1, 0), input, t.classDim);
        return reduce(reduction, perPosition, t.totalWeight(w));
    }

    /**
     * {@code -sum_c a[.., c, ..] q[.., c, ..]} over the class dimension, where a zero coefficient
     * contributes exactly 0 even against q = -infinity (a masked class), and no gradient.
     */
    static Tensor contract(Tensor a, Tensor q, int classDim) {
        Tensor zero = Checks.scalar(q, 0);
        Tensor terms = Tensor.where(a.ne(zero), a.mul(q), zero);
        return terms.sum(classDim, false).neg();
    }

    /** The class-index reductions: MEAN divides by the total weight of the counted targets. */
    static Tensor reduce(Reduction reduction, Tensor perPosition, double totalWeight) {
        return switch (reduction) {
            case MEAN -> perPosition.sum().div(totalWeight);
            default -> reduction.apply(perPosition);
        };
    }
}
