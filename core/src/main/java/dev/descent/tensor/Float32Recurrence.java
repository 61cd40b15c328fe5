package dev.descent.tensor;

import dev.descent.tensor.Recurrence.Cell;
import dev.descent.tensor.kernel.Gemm;
import dev.descent.tensor.kernel.KernelMode;
import dev.descent.tensor.kernel.Parallel;
import dev.descent.tensor.kernel.RecurrentGates;

/**
 * The float32 path of {@link Recurrence}: the same cells and backward pass through time, with
 * every product on the shared {@link Gemm} kernel, in float32 as PyTorch computes:
 *
 * <pre>
 * forward:  XW = X W_ih^T for all B*T rows at once (one GEMM);  per step  HW = h W_hh^T (one GEMM
 *           on W_hh^T packed once for all steps, {@link Gemm.PackedB}; the backward's W_hh too),
 *           then one fused pass over the gates: pre = (XW_t + b_ih) + (HW + b_hh), the cell's
 *           nonlinearities (sigmoid and tanh of {@link dev.descent.tensor.kernel.FloatMath}) and the state update
 * backward: per step, in reverse: one fused pass for the gate gradients dIn (and the GRU's
 *           hidden-side dHid), then dh_prev = dHid W_hh (one GEMM);  after the loop, for all
 *           steps at once: dX = dIn W_ih,  dW_ih = dIn^T X,  dW_hh = dHid^T H_prev (three GEMMs),
 *           and the bias gradients as column sums in double
 * </pre>
 *
 * The gate passes are {@link RecurrentGates}' (the Vector API or the scalar twin, the same bits),
 * with a step's batch rows split over threads (each row is computed by the same operations
 * whichever thread runs it); the GEMMs are the vector kernel or its scalar twin, the same bits
 * either way and on any thread count. Per-step buffers are laid out [B, T, ...] like the input, so a step's rows
 * are read in place with a leading dimension of T rows.
 */
final class Float32Recurrence {
    private Float32Recurrence() {}

    /** Gate values per thread's share of a step at least (a fork costs about a microsecond; a gate value tens of nanoseconds). */
    private static final int ROW_GRAIN = 2048;

    static Recurrence.Result run(Cell cell, Tensor x, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh, Tensor h0, Tensor c0,
                                 boolean reverse, int b, int t, int in, int h) {
        int gh = cell.gates * h, rows = b * t;
        Tensor xc = contiguous(x), wi = contiguous(wIh), wh = contiguous(wHh);
        float[] bi = bIh == null ? new float[gh] : bIh.toFloatArray(), bh = bHh == null ? new float[gh] : bHh.toFloatArray();
        float[] xw = new float[rows * gh];
        Gemm.sgemm(false, true, rows, gh, in, xc.f, xc.offset, in, wi.f, wi.offset, in, xw, 0, gh, false);
        // Kept for the backward pass, at [n, pos] like the input: the state before each step, the
        // gate activations, the cell state after it (LSTM) and the GRU's W_hn h + b_hn.
        float[] hPrev = new float[rows * h], act = new float[rows * gh];
        float[] cAfter = cell == Cell.LSTM ? new float[rows * h] : null;
        float[] hn = cell == Cell.GRU ? new float[rows * h] : null;
        float[] out = new float[rows * h];
        float[] hCur = h0 == null ? new float[b * h] : h0.toFloatArray();
        float[] cInit = c0 == null ? new float[b * h] : c0.toFloatArray();
        float[] cCur = cInit.clone();
        float[] hw = new float[b * gh];
        int grain = Math.max(1, ROW_GRAIN / gh);
        // the vector gate passes or their scalar twins (same bits), chosen once for a step's gate values
        boolean vector = KernelMode.vectorFor((long) b * gh);
        // W_hh^T is the B of every step's product: packed once, not once per step
        Gemm.PackedB whT = Gemm.packB(true, h, gh, wh.f, wh.offset, h);
        for (int step = 0; step < t; step++) {
            int pos = reverse ? t - 1 - step : step;
            Gemm.sgemm(false, b, hCur, 0, h, whT, hw, 0, gh, false);
            Parallel.forRange(b, grain, (from, to) -> {
                for (int n = from; n < to; n++) {
                    int r = n * t + pos, ho = n * h, xo = r * gh, wo = n * gh;
                    System.arraycopy(hCur, ho, hPrev, r * h, h);
                    switch (cell) {
                        case RNN_TANH -> {
                            RecurrentGates.tanhForward(vector, h, xw, xo, bi, hw, wo, bh, act);
                            System.arraycopy(act, xo, hCur, ho, h);
                        }
                        case RNN_RELU -> {
                            for (int j = 0; j < h; j++) {
                                float v = Math.max((xw[xo + j] + bi[j]) + (hw[wo + j] + bh[j]), 0f);
                                act[xo + j] = v;
                                hCur[ho + j] = v;
                            }
                        }
                        case LSTM -> RecurrentGates.lstmForward(vector, h, xw, xo, bi, hw, wo, bh, act, cCur, ho, cAfter, r * h, hCur, ho);
                        case GRU -> RecurrentGates.gruForward(vector, h, xw, xo, bi, hw, wo, bh, act, hn, r * h, hCur, ho);
                    }
                    System.arraycopy(hCur, ho, out, r * h, h);
                }
            });
        }
        Tensor output = Tensor.of(out, b, t, h);
        Tensor cellState = cell == Cell.LSTM ? Tensor.of(cCur, b, h) : null;
        Ops.record(output, "recurrence", gOut -> {
            Tensor gc = contiguous(gOut);
            float[] dIn = new float[rows * gh];
            float[] dHid = cell == Cell.GRU ? new float[rows * gh] : dIn; // the hidden side differs only in the GRU's n gate
            float[] dh = new float[b * h], dc = new float[b * h], dhNext = new float[b * h];
            Gemm.PackedB whPacked = Gemm.packB(false, gh, h, wh.f, wh.offset, h);
            for (int step = t - 1; step >= 0; step--) {
                int pos = reverse ? t - 1 - step : step;
                boolean atStart = step == 0; // the state before this step is the initial one
                float[] dhNow = dh, dhBefore = dhNext;
                Parallel.forRange(b, grain, (from, to) -> {
                    for (int n = from; n < to; n++) {
                        int r = n * t + pos, ho = n * h, ao = r * gh, go = gc.offset + r * h;
                        for (int j = 0; j < h; j++) dhNow[ho + j] += gc.f[go + j];
                        switch (cell) {
                            case RNN_TANH, RNN_RELU -> {
                                for (int j = 0; j < h; j++) {
                                    float v = act[ao + j];
                                    dIn[ao + j] = dhNow[ho + j] * (cell == Cell.RNN_TANH ? 1 - v * v : (v > 0 ? 1f : 0f));
                                }
                            }
                            case LSTM -> {
                                int prev = atStart ? -1 : (reverse ? r + 1 : r - 1);
                                RecurrentGates.lstmBackward(vector, h, act, ao, cAfter, r * h, prev < 0 ? cInit : cAfter, prev < 0 ? ho : prev * h,
                                        dhNow, ho, dc, ho, dIn);
                            }
                            case GRU -> {
                                for (int j = 0; j < h; j++) {
                                    float rg = act[ao + j], z = act[ao + h + j], nn = act[ao + 2 * h + j];
                                    float hp = hPrev[r * h + j], d = dhNow[ho + j];
                                    float dnPre = d * (1 - z) * (1 - nn * nn);
                                    float dzPre = d * (hp - nn) * z * (1 - z);
                                    float drPre = dnPre * hn[r * h + j] * rg * (1 - rg);
                                    dIn[ao + j] = drPre;
                                    dIn[ao + h + j] = dzPre;
                                    dIn[ao + 2 * h + j] = dnPre;
                                    dHid[ao + j] = drPre;
                                    dHid[ao + h + j] = dzPre;
                                    dHid[ao + 2 * h + j] = dnPre * rg;
                                    dhBefore[ho + j] = d * z; // the direct path h' = ... + z h; the GEMM adds W_hh^T dHid
                                }
                            }
                        }
                    }
                });
                // dh_prev = dHid_t W_hh, the step's rows of dHid read in place (T rows apart).
                Gemm.sgemm(false, b, dHid, pos * gh, t * gh, whPacked, dhNext, 0, h, cell == Cell.GRU);
                float[] swap = dh;
                dh = dhNext;
                dhNext = swap;
            }
            Tensor dx = null, dwi = null, dwh = null;
            if (x.requiresGrad()) {
                dx = Tensor.allocateOverwritten(DType.F32, x.shape);
                Gemm.sgemm(false, false, rows, in, gh, dIn, 0, gh, wi.f, wi.offset, in, dx.f, 0, in, false);
            }
            if (wIh.requiresGrad()) {
                dwi = Tensor.allocateOverwritten(DType.F32, wIh.shape);
                Gemm.sgemm(true, false, gh, in, rows, dIn, 0, gh, xc.f, xc.offset, in, dwi.f, 0, in, false);
            }
            if (wHh.requiresGrad()) {
                dwh = Tensor.allocateOverwritten(DType.F32, wHh.shape);
                Gemm.sgemm(true, false, gh, h, rows, dHid, 0, gh, hPrev, 0, h, dwh.f, 0, h, false);
            }
            return new Tensor[] {dx, dwi, dwh,
                    bIh != null && bIh.requiresGrad() ? columnSums(dIn, rows, gh) : null,
                    bHh != null && bHh.requiresGrad() ? columnSums(dHid, rows, gh) : null,
                    h0 != null && h0.requiresGrad() ? Tensor.of(dh, b, h) : null,
                    c0 != null && c0.requiresGrad() ? Tensor.of(dc, b, h) : null};
        }, x, wIh, wHh, bIh, bHh, h0, c0);
        return new Recurrence.Result(output, cellState);
    }

    /** The sums over the rows of a row-major [rows, cols] block, each in double in row order. */
    private static Tensor columnSums(float[] a, int rows, int cols) {
        double[] s = new double[cols];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) s[j] += a[r * cols + j];
        }
        float[] f = new float[cols];
        for (int j = 0; j < cols; j++) f[j] = (float) s[j];
        return Tensor.of(f, cols);
    }

    private static Tensor contiguous(Tensor t) {
        return t.isContiguous() ? t : t.contiguousCopy();
    }
}
