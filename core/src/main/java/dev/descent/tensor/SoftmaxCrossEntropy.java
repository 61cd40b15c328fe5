package dev.descent.tensor;

import dev.descent.tensor.kernel.SoftmaxCrossEntropyRows;

/**
 * Cross-entropy of float32 logits {@code [N, C]} against class indices, as one operation: the
 * usual case of {@code torch.nn.functional.cross_entropy} (no class weights, no label smoothing,
 * no ignored targets), which otherwise costs a dozen recorded operations and [N, C] temporaries.
 * <pre>
 *   m_i = max_c x[i][c]   (0 when infinite, so a row of -inf does not give NaN)
 *   logp[i][c] = (x[i][c] - m_i) - log(sum_c exp(x[i][c] - m_i))     (PyTorch's order)
 *   loss = sum_i -logp[i][t_i] / N   (mean)   or the sum
 *   dx[i][c] = gout[i][c] - exp(logp[i][c]) * sum_c gout[i][c],
 *              gout[i][c] = (c == t_i ? -g / N : 0)      (PyTorch's log_softmax and nll backward)
 * </pre>
 * The forward pass uses the same kernels in the same order as the composed
 * {@code logSoftmax} + NLL path (float exp and log, each row's sum in double over the fixed
 * partials, the batch sum likewise), so the loss has the same bits; the gradient follows PyTorch's
 * log-softmax backward formula, which the composed autograd path computes in a different order
 * (results agree to float rounding).
 */
final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {}

    static Tensor forward(Tensor logits, int[] targets, boolean mean) {
        if (logits.dtype != DType.F32 || logits.shape.length != 2) {
            throw new IllegalArgumentException("softmaxCrossEntropy: needs float32 logits [N, C], got " + logits.dtype + " "
                    + Shapes.format(logits.shape));
        }
        int n = logits.shape[0], c = logits.shape[1];
        if (targets.length != n) {
            throw new ShapeException("softmaxCrossEntropy: " + targets.length + " targets for " + n + " rows");
        }
        for (int i = 0; i < n; i++) {
            int t = targets[i];
            if (t < 0 || t >= c) throw new IndexOutOfBoundsException("softmaxCrossEntropy: target " + t + " at row " + i + " is not in [0, " + c + ")");
        }
        Tensor x = logits.isContiguous() ? logits : logits.contiguousCopy();
        float[] max = new float[n], logSum = new float[n];
        float[] losses = new float[n];
        SoftmaxCrossEntropyRows.forward(x.f, x.offset, n, c, targets, max, logSum, losses, new float[c]);
        Tensor out = reduce(losses, mean);
        return Ops.record(out, "softmaxCrossEntropy", g -> {
            float scale = mean ? g.f[g.offset] / (float) n : g.f[g.offset];
            Tensor gx = Tensor.allocateOverwritten(DType.F32, new int[] {n, c});
            SoftmaxCrossEntropyRows.backward(x.f, x.offset, n, c, targets, max, logSum, -scale, gx.f, 0);
            return new Tensor[] {gx};
        }, logits);
    }

    /** The composed reductions' value of per-row losses: the double sum over fixed partials, rounded, then / n for the mean. */
    private static Tensor reduce(float[] l, boolean mean) {
        float total = (float) dev.descent.tensor.kernel.Kernels.sum(l, 0, l.length);
        return Tensor.scalar(mean ? total / (float) l.length : total);
    }
}
