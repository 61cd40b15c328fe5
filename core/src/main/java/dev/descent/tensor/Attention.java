package dev.descent.tensor;

import java.util.Arrays;

/**
 * Scaled dot-product attention as one operation with its own derivative rule (Vaswani et al.,
 * "Attention Is All You Need", NeurIPS 2017), PyTorch's {@code F.scaled_dot_product_attention}:
 *
 * <pre>
 * S = Q K^T * scale + bias      (bias additive, -inf = masked; causal masks key j &gt; query i)
 * P = softmax(S)                (over the keys, each row)
 * O = P V
 * </pre>
 *
 * The softmax is fused into the product: the scores and probabilities of a query row live in one
 * row buffer, and only P is kept for the backward pass, which is
 * {@code dV = P^T dO}, {@code dP = dO V^T}, {@code dS = P * (dP - rowsum(P * dP))},
 * {@code dQ = scale * dS K}, {@code dK = scale * dS^T Q}. Float32 tensors take
 * {@link Float32Attention} (the products as float32 GEMMs, as PyTorch computes); float64 ones the
 * loops here, with every sum in double (the definition the gradient checks exercise).
 *
 * <p>A query row whose keys are all masked has no distribution to attend with: its output and
 * its gradients are 0 (PyTorch's math path gives NaN there; 0 keeps a padded batch trainable).
 */
final class Attention {
    private Attention() {}

    static Tensor scaledDotProduct(Tensor q, Tensor k, Tensor v, Tensor bias, boolean causal, double scale) {
        Ops.sameDType("scaledDotProductAttention", q, k);
        Ops.sameDType("scaledDotProductAttention", q, v);
        int r = q.shape.length;
        if (r < 2 || k.shape.length != r || v.shape.length != r) {
            throw new ShapeException("scaledDotProductAttention: query, key and value need one rank of at least 2, got "
                    + Shapes.format(q.shape) + ", " + Shapes.format(k.shape) + ", " + Shapes.format(v.shape));
        }
        int[] lead = Arrays.copyOf(q.shape, r - 2);
        if (!Arrays.equals(lead, Arrays.copyOf(k.shape, r - 2)) || !Arrays.equals(lead, Arrays.copyOf(v.shape, r - 2))) {
            throw new ShapeException("scaledDotProductAttention: leading dimensions of query " + Shapes.format(q.shape) + ", key "
                    + Shapes.format(k.shape) + " and value " + Shapes.format(v.shape) + " differ");
        }
        int tq = q.shape[r - 2], d = q.shape[r - 1], tk = k.shape[r - 2], dv = v.shape[r - 1];
        if (k.shape[r - 1] != d || v.shape[r - 2] != tk) {
            throw new ShapeException("scaledDotProductAttention: key " + Shapes.format(k.shape) + " must be [..., Tk, " + d
                    + "] and value " + Shapes.format(v.shape) + " [..., " + tk + ", dv]");
        }
        int n = Shapes.numel(lead);
        int[] scoreShape = Arrays.copyOf(lead, r);
        scoreShape[r - 2] = tq;
        scoreShape[r - 1] = tk;
        double[] biasValues = null;
        if (bias != null) {
            if (bias.shape.length > r || !Arrays.equals(Shapes.broadcast("scaledDotProductAttention", bias.shape, scoreShape), scoreShape)) {
                throw new ShapeException("scaledDotProductAttention: mask " + Shapes.format(bias.shape) + " does not broadcast to the scores "
                        + Shapes.format(scoreShape));
            }
            if (q.dtype == DType.F32) return Float32Attention.run(q, k, v, Ops.broadcastView(bias, scoreShape), causal, scale, lead, tq, d, tk, dv);
            biasValues = Ops.broadcastView(bias, scoreShape).toDoubleArray();
        } else if (q.dtype == DType.F32) {
            return Float32Attention.run(q, k, v, null, causal, scale, lead, tq, d, tk, dv);
        }
        double[] qs = q.toDoubleArray(), ks = k.toDoubleArray(), vs = v.toDoubleArray();
        double[] p = new double[n * tq * tk];
        double[] o = new double[n * tq * dv];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < tq; i++) {
                int row = (s * tq + i) * tk, qo = (s * tq + i) * d;
                int limit = causal ? Math.min(i + 1, tk) : tk;
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < limit; j++) {
                    int ko = (s * tk + j) * d;
                    double dot = 0;
                    for (int c = 0; c < d; c++) dot += qs[qo + c] * ks[ko + c];
                    double score = dot * scale + (biasValues == null ? 0 : biasValues[row + j]);
                    p[row + j] = score;
                    if (score > max) max = score;
                }
                if (max == Double.NEGATIVE_INFINITY) {
                    Arrays.fill(p, row, row + tk, 0); // every key masked: no attention, output 0
                    continue;
                }
                double sum = 0;
                for (int j = 0; j < limit; j++) {
                    double e = Math.exp(p[row + j] - max);
                    p[row + j] = e;
                    sum += e;
                }
                for (int j = 0; j < limit; j++) p[row + j] /= sum;
                Arrays.fill(p, row + limit, row + tk, 0);
                int oo = (s * tq + i) * dv;
                for (int j = 0; j < limit; j++) {
                    double w = p[row + j];
                    if (w == 0) continue;
                    int vo = (s * tk + j) * dv;
                    for (int c = 0; c < dv; c++) o[oo + c] += w * vs[vo + c];
                }
            }
        }
        int[] outShape = Arrays.copyOf(lead, r);
        outShape[r - 2] = tq;
        outShape[r - 1] = dv;
        Tensor out = fromDoubles(q.dtype, o, outShape);
        return Ops.record(out, "scaledDotProductAttention", g -> {
            double[] go = g.toDoubleArray();
            double[] dq = new double[qs.length], dk = new double[ks.length], dvv = new double[vs.length];
            double[] dp = new double[tk];
            for (int s = 0; s < n; s++) {
                for (int i = 0; i < tq; i++) {
                    int row = (s * tq + i) * tk, oo = (s * tq + i) * dv, qo = (s * tq + i) * d;
                    int limit = causal ? Math.min(i + 1, tk) : tk;
                    double dot = 0;
                    for (int j = 0; j < limit; j++) {
                        double w = p[row + j];
                        int vo = (s * tk + j) * dv;
                        double acc = 0;
                        for (int c = 0; c < dv; c++) {
                            acc += go[oo + c] * vs[vo + c];
                            dvv[vo + c] += w * go[oo + c];
                        }
                        dp[j] = acc;
                        dot += w * acc;
                    }
                    for (int j = 0; j < limit; j++) {
                        double ds = p[row + j] * (dp[j] - dot) * scale;
                        if (ds == 0) continue;
                        int ko = (s * tk + j) * d;
                        for (int c = 0; c < d; c++) {
                            dq[qo + c] += ds * ks[ko + c];
                            dk[ko + c] += ds * qs[qo + c];
                        }
                    }
                }
            }
            return new Tensor[] {
                    q.requiresGrad() ? fromDoubles(q.dtype, dq, q.shape) : null,
                    k.requiresGrad() ? fromDoubles(k.dtype, dk, k.shape) : null,
                    v.requiresGrad() ? fromDoubles(v.dtype, dvv, v.shape) : null};
        }, q, k, v);
    }

    private static Tensor fromDoubles(DType dtype, double[] values, int[] shape) {
        if (dtype == DType.F64) return Tensor.of(values, shape.clone());
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
        return Tensor.of(f, shape.clone());
    }
}
