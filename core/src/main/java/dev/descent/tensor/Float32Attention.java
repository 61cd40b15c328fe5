package dev.descent.tensor;

import dev.descent.tensor.kernel.Gemm;
import dev.descent.tensor.kernel.Parallel;

/**
 * The float32 path of {@link Attention}: the same formulas, with the products as matrix
 * multiplies per attention slice (one (batch, head) pair) on the shared {@link Gemm} kernel, as
 * PyTorch computes in float32:
 *
 * <pre>
 * forward:  S = Q K^T (GEMM);  P = softmax(S * scale + bias) row by row;  O = P V (GEMM)
 * backward: dV = P^T dO;  dP = dO V^T;  dS = scale * P * (dP - rowsum(P * dP));  dQ = dS K;  dK = dS^T Q
 * </pre>
 *
 * The softmax row fuses the scale, the additive mask and the causal mask (keys j &gt; i are
 * skipped, their probability 0) and runs in double over the float scores (max, exponentials and
 * their sum), rounding each probability once; the row sum of the backward pass is a double sum
 * too. These row passes are plain Java, one definition in both kernel modes; the GEMMs are the
 * vector kernel or its scalar twin, the same bits either way. Slices are split over threads
 * (each slice's GEMMs then run on that thread), and every slice is computed by the same
 * operations whichever thread runs it, so results do not depend on the thread count.
 *
 * <p>Query, key and value may be strided views (the heads of a packed QKV projection, which
 * {@code MultiheadAttention} passes without a copy) as long as their last dimension is
 * contiguous: each slice is read in place with its row stride as the GEMM's leading dimension.
 */
final class Float32Attention {
    private Float32Attention() {}

    /** Slices per parallel task: one is enough work (two GEMMs of T x T x d at least). */
    private static final int SLICE_GRAIN = 1;

    static Tensor run(Tensor q, Tensor k, Tensor v, Tensor biasView, boolean causal, double scale, int[] lead, int tq, int d, int tk, int dv) {
        int n = Shapes.numel(lead);
        Strided qs = Strided.of(q), ks = Strided.of(k), vs = Strided.of(v);
        float[] p = new float[n * tq * tk]; // kept for the backward pass
        int[] outShape = java.util.Arrays.copyOf(lead, lead.length + 2);
        outShape[lead.length] = tq;
        outShape[lead.length + 1] = dv;
        Tensor out = Tensor.allocateOverwritten(DType.F32, outShape);
        Parallel.forRange(n, SLICE_GRAIN, (from, to) -> {
            double[] row = new double[tk];
            for (int s = from; s < to; s++) {
                int po = s * tq * tk;
                Gemm.sgemm(false, true, tq, tk, d, qs.t.f, qs.offset(s), qs.ld, ks.t.f, ks.offset(s), ks.ld, p, po, tk, false);
                for (int i = 0; i < tq; i++) softmaxRow(p, po + i * tk, row, tk, causal ? Math.min(i + 1, tk) : tk, scale, biasView, s, i, lead);
                Gemm.sgemm(false, false, tq, dv, tk, p, po, tk, vs.t.f, vs.offset(s), vs.ld, out.f, s * tq * dv, dv, false);
            }
        });
        return Ops.record(out, "scaledDotProductAttention", g -> {
            Tensor gc = g.isContiguous() ? g : g.contiguousCopy();
            boolean needQ = q.requiresGrad(), needK = k.requiresGrad(), needV = v.requiresGrad();
            Tensor dq = needQ ? Tensor.allocateOverwritten(DType.F32, q.shape) : null;
            Tensor dk = needK ? Tensor.allocateOverwritten(DType.F32, k.shape) : null;
            Tensor dvT = needV ? Tensor.allocateOverwritten(DType.F32, v.shape) : null;
            Parallel.forRange(n, SLICE_GRAIN, (from, to) -> {
                float[] ds = new float[tq * tk];
                for (int s = from; s < to; s++) {
                    int po = s * tq * tk, go = gc.offset + s * tq * dv;
                    if (needV) Gemm.sgemm(true, false, tk, dv, tq, p, po, tk, gc.f, go, dv, dvT.f, s * tk * dv, dv, false);
                    if (!needQ && !needK) continue;
                    Gemm.sgemm(false, true, tq, tk, dv, gc.f, go, dv, vs.t.f, vs.offset(s), vs.ld, ds, 0, tk, false);
                    for (int i = 0; i < tq; i++) softmaxBackwardRow(p, po + i * tk, ds, i * tk, causal ? Math.min(i + 1, tk) : tk, tk, scale);
                    if (needQ) Gemm.sgemm(false, false, tq, d, tk, ds, 0, tk, ks.t.f, ks.offset(s), ks.ld, dq.f, s * tq * d, d, false);
                    if (needK) Gemm.sgemm(true, false, tk, d, tq, ds, 0, tk, qs.t.f, qs.offset(s), qs.ld, dk.f, s * tk * d, d, false);
                }
            });
            return new Tensor[] {dq, dk, dvT};
        }, q, k, v);
    }

    /**
     * Turns the raw scores {@code p[at .. at+tk)} of query row i into its probabilities: keys below
     * {@code limit} get softmax(score * scale + bias), the rest 0; a row with every key masked
     * (all -inf) is 0 throughout.
     */
    private static void softmaxRow(float[] p, int at, double[] row, int tk, int limit, double scale, Tensor bias, int s, int i, int[] lead) {
        int bo = bias == null ? 0 : biasOffset(bias, s, i, lead);
        int bj = bias == null ? 0 : bias.strides[bias.shape.length - 1];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < limit; j++) {
            double score = p[at + j] * scale;
            if (bias != null) score += bias.dtype == DType.F32 ? bias.f[bo + j * bj] : bias.d[bo + j * bj];
            row[j] = score;
            if (score > max) max = score;
        }
        if (max == Double.NEGATIVE_INFINITY) {
            java.util.Arrays.fill(p, at, at + tk, 0f);
            return;
        }
        double sum = 0;
        for (int j = 0; j < limit; j++) {
            double e = Math.exp(row[j] - max);
            row[j] = e;
            sum += e;
        }
        for (int j = 0; j < limit; j++) p[at + j] = (float) (row[j] / sum);
        java.util.Arrays.fill(p, at + limit, at + tk, 0f);
    }

    /** {@code ds[j] = scale * p[j] * (dp[j] - sum_j p[j] dp[j])} in place over dp, 0 past the causal limit. */
    private static void softmaxBackwardRow(float[] p, int at, float[] ds, int dsAt, int limit, int tk, double scale) {
        double dot = 0;
        for (int j = 0; j < limit; j++) dot += (double) p[at + j] * ds[dsAt + j];
        for (int j = 0; j < limit; j++) ds[dsAt + j] = (float) (p[at + j] * (ds[dsAt + j] - dot) * scale);
        java.util.Arrays.fill(ds, dsAt + limit, dsAt + tk, 0f);
    }

    /** Where row i of slice s starts in the broadcast mask view (its strides are 0 on broadcast dimensions). */
    private static int biasOffset(Tensor bias, int s, int i, int[] lead) {
        int o = bias.offset, r = bias.shape.length;
        for (int a = lead.length - 1; a >= 0; a--) {
            o += (s % lead[a]) * bias.strides[a];
            s /= lead[a];
        }
        return o + i * bias.strides[r - 2];
    }

    /**
     * A [..., rows, cols] float tensor read slice by slice in place: its last dimension contiguous
     * and the rows at a fixed stride (else a contiguous copy).
     */
    private record Strided(Tensor t, int ld, int[] lead, int[] leadStrides) {
        static Strided of(Tensor x) {
            int r = x.shape.length, rows = x.shape[r - 2], cols = x.shape[r - 1];
            boolean inPlace = (cols == 1 || x.strides[r - 1] == 1) && (rows == 1 || x.strides[r - 2] >= cols);
            Tensor t = inPlace ? x : x.contiguousCopy();
            int ld = rows == 1 ? cols : t.strides[r - 2];
            return new Strided(t, ld, java.util.Arrays.copyOf(t.shape, r - 2), java.util.Arrays.copyOf(t.strides, r - 2));
        }

        int offset(int s) {
            int o = t.offset;
            for (int a = lead.length - 1; a >= 0; a--) {
                o += (s % lead[a]) * leadStrides[a];
                s /= lead[a];
            }
            return o;
        }
    }
}
