package dev.descent.loss;

import dev.descent.tensor.Tensor;

/**
 * Multi-class hinge loss, as {@code torch.nn.MultiMarginLoss}: for scores x of shape [N, C]
 * (or [C]) and class-index targets y of shape [N] (or [] / [1]),
 * <pre>
 *   l_n = (w[y_n] / C) sum_{j != y_n} max(0, margin - x[n, y_n] + x[n, j])^p
 * </pre>
 * reduced over n (MEAN divides by N). The class weight multiplies the powered hinge, as PyTorch's
 * implementation does (its documentation writes it inside the power, which differs for p = 2).
 * At a hinge of exactly 0 the gradient is 0, as in PyTorch.
 *
 * @param p         1 (PyTorch's default) or 2
 * @param margin    the margin (PyTorch's default 1.0)
 * @param weight    one weight per class, shape [C], or null for 1
 * @param reduction NONE, MEAN (PyTorch's default) or SUM
 */
public record MultiMarginLoss(int p, double margin, Tensor weight, Reduction reduction) implements Loss {
    public MultiMarginLoss {
        if (p != 1 && p != 2) throw new IllegalArgumentException("multiMargin: p must be 1 or 2, got " + p);
        if (!Double.isFinite(margin)) throw new IllegalArgumentException("multiMargin: margin must be finite, got " + margin);
        Checks.classWeights("multiMargin", weight);
        Reduction.checkOrdinary("multiMargin", reduction);
    }

    @Override
    public Tensor apply(Tensor input, Tensor target) {
        Checks.notNull("multiMargin", input, target);
        if (input.dim() != 1 && input.dim() != 2) {
            throw new IllegalArgumentException("multiMargin: input must be [N, C] or [C], got shape " + Checks.shape(input));
        }
        Tensor scores = input.dim() == 1 ? input.reshape(1, input.size(0)) : input;
        int n = scores.size(0), classes = scores.size(1);
        boolean fits = input.dim() == 2 ? target.dim() == 1 && target.size(0) == n
                : target.dim() == 0 || (target.dim() == 1 && target.size(0) == 1);
        if (!fits) {
            throw new IllegalArgumentException("multiMargin: target shape " + Checks.shape(target) + " does not fit input shape "
                    + Checks.shape(input) + ": class-index targets need shape " + (input.dim() == 2 ? "[" + n + "]" : "[] or [1]"));
        }
        ClassTargets t = ClassTargets.read("multiMargin", scores, target.reshape(n), null, "");
        double[] w = Checks.classWeights("multiMargin", weight);
        Checks.classWeightCount("multiMargin", w, classes);
        Tensor oneHot = t.coefficients(scores, null, 1, 0);
        Tensor others = oneHot.neg().add(1);
        Tensor targetScore = scores.mul(oneHot).sum(1, true);
        Tensor hinge = scores.sub(targetScore).add(margin).relu();
        if (p == 2) hinge = hinge.mul(hinge);
        Tensor perSample = hinge.mul(others).sum(1, false).div(classes);
        if (w != null) perSample = perSample.mul(t.targetWeights(scores, w));
        return reduction.apply(perSample.reshape(target.shape()));
    }
}
