package dev.descent.train;

import dev.descent.tensor.kernel.FloatMath;
import dev.descent.tensor.kernel.Kernels;

/**
 * The loss at the end of a {@link StepPlan}: mean-squared error or binary cross-entropy with
 * logits, mean or sum, against a target of the output's shape. Value and gradient follow the
 * eager fused losses' arithmetic exactly:
 * <pre>
 *   mse: l_i = (x_i - y_i)^2,             dx_i = (x_i - y_i) * (2/n for the mean, 2 for the sum)
 *   bce: l_i = (1 - y_i) x_i + softplus(-x_i),   dx_i = sigmoid(x_i) - y_i   (/ n for the mean)
 *   loss = sum(l) in double over fixed partials, rounded to float, / n for the mean
 * </pre>
 */
final class PlanLoss {
    private final boolean bce, mean;

    PlanLoss(boolean bce, boolean mean) {
        this.bce = bce;
        this.mean = mean;
    }

    /**
     * The loss of outputs x against targets y (n values each), with its gradient written to g;
     * {@code terms} is scratch for the n per-element losses.
     */
    float lossAndGradient(float[] x, float[] y, float[] g, float[] terms, int n) {
        // each loss in its own method: a smaller unit for the JIT to compile
        if (bce) bce(x, y, g, terms, n, mean);
        else mse(x, y, g, terms, n, mean);
        float total = (float) Kernels.sum(terms, 0, n);
        return mean ? total / (float) n : total;
    }

    private static void bce(float[] x, float[] y, float[] g, float[] terms, int n, boolean mean) {
        // Dividing by 1 is exact, so one division serves the mean (/ n) and the sum (/ 1):
        // no branch per element.
        float divisor = mean ? (float) n : 1f;
        for (int i = 0; i < n; i++) {
            float xv = x[i], yv = y[i];
            // softplus(-x) and sigmoid(x) share the exp(-|x|) both compute: the same bits as
            // FloatMath.softplus and FloatMath.sigmoid with half the exp evaluations. A NaN x
            // needs no test of its own: it makes e, the loss term and the gradient NaN.
            float e = FloatMath.exp(-Math.abs(xv));
            float softplusNeg = FloatMath.softplusOfExp(-xv, e);
            float sigmoid = FloatMath.sigmoidOfExp(xv, e);
            terms[i] = ((-yv) + 1f) * xv + softplusNeg;
            // the backward seed is 1, so (sigmoid - y) * 1 as in the eager gradient
            g[i] = ((sigmoid - yv) * 1f) / divisor;
        }
    }

    private static void mse(float[] x, float[] y, float[] g, float[] terms, int n, boolean mean) {
        float s = 1f * (float) (mean ? 2.0 / n : 2.0);
        for (int i = 0; i < n; i++) {
            float d = x[i] - y[i];
            terms[i] = d * d;
            g[i] = d * s;
        }
    }
}
