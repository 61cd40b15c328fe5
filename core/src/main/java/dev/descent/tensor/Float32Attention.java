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
 * <p>With a causal mask the products skip what the mask zeroes: query rows are taken in blocks
 * of {@link #CAUSAL_BLOCK}, and a block ending at row i1 multiplies only keys below i1 (Q K^T,
 * P V, dO V^T, dS K); key blocks starting at j0 take only queries from j0 on (P^T dO, dS^T Q).
 * What is skipped is a run of zero probabilities at the end or the start of a fused multiply-add
 * chain, which leaves a finite chain's value as it was, so for finite inputs the results are those
 * of the whole products; at T = 128 the products do 62.5% of their work.
 *
 * <p>Query, key and value may be strided views (the heads of a packed QKV projection, which
 * {@code MultiheadAttention} passes without a copy) as long as their last dimension is
 * contiguous: each slice is read in place with its row stride as the GEMM's leading dimension.
 */
final class Float32Attention {
    private Float32Attention() {}

    /** Slices per parallel task: one is enough work (two GEMMs of T x T x d at least). */
    private static final int SLICE_GRAIN = 1;

    /** Rows per block of a causal product: smaller skips more of the masked triangle, in more calls. */
    static final int CAUSAL_BLOCK = 32;

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
            int block = causal ? CAUSAL_BLOCK : tq;
            for (int s = from; s < to; s++) {
                int po = s * tq * tk;
                for (int i0 = 0; i0 < tq; i0 += block) {
                    // keys [0, keys) hold every unmasked key of rows [i0, i1)
                    int i1 = Math.min(tq, i0 + block), rows = i1 - i0, keys = causal ? Math.min(i1, tk) : tk;
                    Gemm.sgemm(false, true, rows, keys, d, qs.t.f, qs.offset(s) + i0 * qs.ld, qs.ld, ks.t.f, ks.offset(s), ks.ld, p, po + i0 * tk, tk, false);
                    for (int i = i0; i < i1; i++) softmaxRow(p, po + i * tk, row, tk, causal ? Math.min(i + 1, tk) : tk, scale, biasView, s, i, lead);
                    Gemm.sgemm(false, false, rows, dv, keys, p, po + i0 * tk, tk, vs.t.f, vs.offset(s), vs.ld, out.f, (s * tq + i0) * dv, dv, false);
                }
            }
        });
        return Ops.record(out, "scaledDotProductAttention", g -> {
            Tensor gc = g.isContiguous() ? g : g.contiguousCopy();
            boolean needQ = q.requiresGrad(), needK = k.requiresGrad(), needV = v.requiresGrad();
            Tensor dq = needQ ? Tensor.allocateOverwritten(DType.F32, q.shape) : null;
            Tensor dk = needK ? Tensor.allocateOverwritten(DType.F32, k.shape) : null;
            Tensor dvT = needV ? Tensor.allocateOverwritten(DType.F32, v.shape) : null;
            int block = causal ? CAUSAL_BLOCK : Math.max(tq, tk);
            Parallel.forRange(n, SLICE_GRAIN, (from, to) -> {
                float[] ds = new float[tq * tk];
                for (int s = from; s < to; s++) {
                    int po = s * tq * tk, go = gc.offset + s * tq * dv;
                    // key blocks: key j has nonzero probabilities only from query j on (causal)
                    for (int j0 = 0; j0 < tk; j0 += block) {
                        int j1 = Math.min(tk, j0 + block), first = causal ? Math.min(j0, tq) : 0;
                        if (needV) Gemm.sgemm(true, false, j1 - j0, dv, tq - first, p, po + first * tk + j0, tk, gc.f, go + first * dv, dv,
                                dvT.f, (s * tk + j0) * dv, dv, false);
                    }
                    if (!needQ && !needK) continue;
                    for (int i0 = 0; i0 < tq; i0 += block) {
                        int i1 = Math.min(tq, i0 + block), rows = i1 - i0, keys = causal ? Math.min(i1, tk) : tk;
                        Gemm.sgemm(false, true, rows, keys, dv, gc.f, go + i0 * dv, dv, vs.t.f, vs.offset(s), vs.ld, ds, i0 * tk, tk, false);
                        for (int i = i0; i < i1; i++) softmaxBackwardRow(p, po + i * tk, ds, i * tk, causal ? Math.min(i + 1, tk) : tk, tk, scale);
                        if (needQ) Gemm.sgemm(false, false, rows, d, keys, ds, i0 * tk, tk, ks.t.f, ks.offset(s), ks.ld, dq.f, (s * tq + i0) * d, d, false);
                    }
                    if (needK) {
                        for (int j0 = 0; j0 < tk; j0 += block) {
                            int j1 = Math.min(tk, j0 + block), first = causal ? Math.min(j0, tq) : 0;
                            Gemm.sgemm(true, false, j1 - j0, d, tq - first, ds, first * tk + j0, tk, qs.t.f, qs.offset(s) + first * qs.ld, qs.ld,
                                    dk.f, (s * tk + j0) * d, d, false);
                        }
                    }
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
