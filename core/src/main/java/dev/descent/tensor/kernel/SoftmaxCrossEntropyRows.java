package dev.descent.tensor.kernel;

/**
 * The arithmetic of cross-entropy of float32 logits {@code [rows, classes]} (row-major from
 * {@code x[xo]}) against class indices, shared by the fused autograd operation and compiled
 * training steps, so both give the same bits:
 * <pre>
 *   m_i = max_c x[i][c]   (0 when infinite, so a row of -inf does not give NaN)
 *   l_i = log(sum_c exp(x[i][c] - m_i))                  (the row sum in double, fixed partials)
 *   logp[i][c] = (x[i][c] - m_i) - l_i
 *   loss_i = -logp[i][t_i]
 *   dx[i][c] = ([c == t_i] ? gt : 0) - exp(logp[i][c]) * gt,   gt = -(upstream / N or upstream)
 * </pre>
 * The log-probabilities are {@code (x - m) - l}, as PyTorch's log_softmax computes them, not
 * {@code x - (m + l)}: for logits of magnitude 60 the rounding of {@code m + l} (an ulp of 60 is
 * 3.8e-6) is an absolute error in every log-probability, which is a relative error of 1e-3 in a
 * gradient entry {@code p - 1} near 0; {@code x - m} is exact near the maximum and {@code l} is
 * small, so the error stays at float rounding of the result. The targets must already be in
 * [0, classes).
 */
public final class SoftmaxCrossEntropyRows {
    private SoftmaxCrossEntropyRows() {}

    /**
     * Writes each row's shift {@code m_i} to {@code max}, its {@code l_i} to {@code logSum} and its
     * loss to {@code losses}; {@code exps} is scratch of at least {@code classes}.
     */
    public static void forward(float[] x, int xo, int rows, int classes, int[] targets, float[] max, float[] logSum, float[] losses,
                               float[] exps) {
        for (int i = 0; i < rows; i++) {
            int row = xo + i * classes;
            float m = Kernels.max(x, row, classes);
            if (Math.abs(m) == Float.POSITIVE_INFINITY) m = 0f;
            for (int j = 0; j < classes; j++) exps[j] = FloatMath.exp(x[row + j] - m);
            float s = (float) Kernels.sum(exps, 0, classes);
            max[i] = m;
            logSum[i] = FloatMath.log(s);
            // the composed path's per-row loss: -(1 * logp_t) summed over the row's classes with
            // zeros elsewhere, which is exactly -logp_t
            losses[i] = -((x[row + targets[i]] - m) - logSum[i]);
        }
    }

    /**
     * The gradient with respect to the logits into {@code gx[go..]}, given the forward's
     * {@code max} and {@code logSum} and {@code gt}, the only non-zero entry of each row's
     * incoming log-softmax gradient (minus the upstream gradient, divided by the rows for a mean).
     */
    public static void backward(float[] x, int xo, int rows, int classes, int[] targets, float[] max, float[] logSum, float gt, float[] gx,
                                int go) {
        for (int i = 0; i < rows; i++) {
            int row = xo + i * classes, dst = go + i * classes, t = targets[i];
            float m = max[i], l = logSum[i];
            for (int j = 0; j < classes; j++) {
                float p = FloatMath.exp((x[row + j] - m) - l);
                gx[dst + j] = (j == t ? gt : 0f) - p * gt;
            }
        }
    }
}
