package dev.descent.train;

import dev.descent.tensor.kernel.Kernels;
import dev.descent.tensor.kernel.SoftmaxCrossEntropyRows;

/**
 * Cross-entropy of a {@link StepPlan}'s logits {@code [rows, classes]} against class indices,
 * mean or sum: the eager fused operation's kernel ({@link SoftmaxCrossEntropyRows}) on the
 * plan's buffers, then its reduction, so the same bits:
 * <pre>
 *   m_i = max_c x[i][c] (0 when infinite),   logp[i][c] = (x[i][c] - m_i) - log(sum_c exp(x[i][c] - m_i))
 *   loss = sum_i -logp[i][t_i], rounded to float, / rows for the mean
 *   dx[i][c] = ([c == t_i] ? -s : 0) - exp(logp[i][c]) * -s,   s = 1/rows (mean) or 1
 * </pre>
 */
final class PlanCrossEntropy {
    private final boolean mean;
    private float[] exps = new float[0], max = new float[0], logSum = new float[0], losses = new float[0];

    PlanCrossEntropy(boolean mean) {
        this.mean = mean;
    }

    /** The loss of logits x against labels (one per row), with its gradient written to g. */
    float lossAndGradient(float[] x, int[] labels, float[] g, int rows, int classes) {
        if (exps.length < classes) exps = new float[classes];
        if (max.length < rows) {
            max = new float[rows];
            logSum = new float[rows];
            losses = new float[rows];
        }
        SoftmaxCrossEntropyRows.forward(x, 0, rows, classes, labels, max, logSum, losses, exps);
        float total = (float) Kernels.sum(losses, 0, rows);
        float value = mean ? total / (float) rows : total;
        // the backward seed is 1: the eager scale g / n (mean) or g
        SoftmaxCrossEntropyRows.backward(x, 0, rows, classes, labels, max, logSum, -(mean ? 1f / (float) rows : 1f), g, 0);
        return value;
    }
}
