package dev.descent.tensor.kernel;

/**
 * The arithmetic of cross-entropy of float32 logits {@code [rows, classes]} (row-major from
 * {@code x[xo]}) against class indices, shared by the fused autograd operation and compiled
 * training steps, so both give the same bits:
 * <pre>
 *   m_i = max_c x[i][c]   (0 when infinite, so a row of -inf does not give NaN)
 *   lse_i = log(sum_c exp(x[i][c] - m_i)) + m_i          (the row sum in double, fixed partials)
 *   loss_i = -(x[i][t_i] - lse_i)
 *   dx[i][c] = ([c == t_i] ? gt : 0) - exp(x[i][c] - lse_i) * gt,   gt = -(upstream / N or upstream)
 * </pre>
 * The targets must already be in [0, classes).
 */
public final class SoftmaxCrossEntropyRows {
    private SoftmaxCrossEntropyRows() {}

    /** Writes each row's log-sum-exp to {@code lse} and its loss to {@code losses}; {@code exps} is scratch of at least {@code classes}. */
    public static void forward(float[] x, int xo, int rows, int classes, int[] targets, float[] lse, float[] losses, float[] exps) {
        for (int i = 0; i < rows; i++) {
            int row = xo + i * classes;
            float m = Kernels.max(x, row, classes);
            if (Math.abs(m) == Float.POSITIVE_INFINITY) m = 0f;
            for (int j = 0; j < classes; j++) exps[j] = FloatMath.exp(x[row + j] - m);
            float s = (float) Kernels.sum(exps, 0, classes);
            lse[i] = FloatMath.log(s) + m;
            // the composed path's per-row loss: -(1 * (x_t - lse)) summed over the row's classes
            // with zeros elsewhere, which is exactly -(x_t - lse)
            losses[i] = -(x[row + targets[i]] - lse[i]);
        }
    }

    /**
     * The gradient with respect to the logits into {@code gx[go..]}, given the forward's
     * {@code lse} and {@code gt}, the only non-zero entry of each row's incoming log-softmax
     * gradient (minus the upstream gradient, divided by the rows for a mean).
     */
    public static void backward(float[] x, int xo, int rows, int classes, int[] targets, float[] lse, float gt, float[] gx, int go) {
        for (int i = 0; i < rows; i++) {
            int row = xo + i * classes, dst = go + i * classes, t = targets[i];
            for (int j = 0; j < classes; j++) {
                float p = FloatMath.exp(x[row + j] - lse[i]);
                gx[dst + j] = (j == t ? gt : 0f) - p * gt;
            }
        }
    }
}
