package dev.descent.tensor;

import java.util.Arrays;

/**
 * One layer and direction of a recurrent network over a whole sequence, as one operation with
 * its own backward pass through time: PyTorch's {@code nn.RNN}, {@code nn.LSTM} and
 * {@code nn.GRU} cells, batch first. With {@code x_t} the input at step t, {@code h} the previous
 * hidden state (zero or given) and {@code W_ih [G*H, I]}, {@code W_hh [G*H, H]} the stacked gate
 * weights (PyTorch's row order):
 *
 * <pre>
 * RNN:  h' = act(W_ih x_t + b_ih + W_hh h + b_hh)                 act = tanh or relu
 * LSTM: i, f, g, o = W_ih x_t + b_ih + W_hh h + b_hh  (rows in that order)
 *       c' = sigmoid(f) c + sigmoid(i) tanh(g),  h' = sigmoid(o) tanh(c')
 * GRU:  r = sigmoid(W_ir x_t + b_ir + W_hr h + b_hr),  z = sigmoid(W_iz x_t + b_iz + W_hz h + b_hz)
 *       n = tanh(W_in x_t + b_in + r (W_hn h + b_hn)),   h' = (1 - z) n + z h
 * </pre>
 *
 * The output is every step's h' in time order, [B, T, H]; {@code reverse} runs the steps from
 * the last to the first (a bidirectional layer's backward direction), still writing output t at
 * position t. The forward pass keeps each step's gate activations, and the backward pass walks
 * the steps in the opposite order, one fused update per gate step (the gradients of the four,
 * three or one gate preactivations, then their products with the weights). Float32 tensors take
 * {@link Float32Recurrence} (the products as float32 GEMMs, as PyTorch computes); float64 ones the
 * loops here, with every sum in double (the definition the gradient checks exercise).
 */
public final class Recurrence {
    private Recurrence() {}

    /** The cell. */
    public enum Cell {
        RNN_TANH(1), RNN_RELU(1), LSTM(4), GRU(3);

        /** Gate blocks stacked in the weights' rows. */
        public final int gates;

        Cell(int gates) {
            this.gates = gates;
        }
    }

    /**
     * @param output    [B, T, H], differentiable in every input
     * @param cellState an LSTM's final cell state c_n [B, H] (not differentiated), else null
     */
    public record Result(Tensor output, Tensor cellState) {}

    /**
     * Runs the layer.
     *
     * @param x   [B, T, I]
     * @param wIh [G*H, I]
     * @param wHh [G*H, H]
     * @param bIh [G*H] or null (no biases: then bHh must be null too)
     * @param bHh [G*H] or null
     * @param h0  initial hidden state [B, H], or null for zeros
     * @param c0  an LSTM's initial cell state [B, H], or null for zeros
     */
    public static Result run(Cell cell, Tensor x, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh, Tensor h0, Tensor c0, boolean reverse) {
        if (x.shape.length != 3) throw new ShapeException("recurrence: input must be [batch, time, features], got " + Shapes.format(x.shape));
        int b = x.shape[0], t = x.shape[1], in = x.shape[2];
        int g = cell.gates;
        if (wHh.shape.length != 2 || wHh.shape[0] % g != 0) {
            throw new ShapeException("recurrence: weight_hh " + Shapes.format(wHh.shape) + " is not [" + g + " * hidden, hidden]");
        }
        int h = wHh.shape[0] / g, gh = g * h;
        check("weight_ih", wIh, gh, in);
        check("weight_hh", wHh, gh, h);
        if ((bIh == null) != (bHh == null)) throw new IllegalArgumentException("recurrence: give both biases or neither");
        if (bIh != null) {
            check("bias_ih", bIh, gh);
            check("bias_hh", bHh, gh);
        }
        if (h0 != null) check("h0", h0, b, h);
        if (c0 != null) {
            if (cell != Cell.LSTM) throw new IllegalArgumentException("recurrence: only an LSTM has a cell state");
            check("c0", c0, b, h);
        }
        for (Tensor p : new Tensor[] {wIh, wHh, bIh, bHh, h0, c0}) if (p != null) Ops.sameDType("recurrence", x, p);
        if (x.dtype == DType.F32) return Float32Recurrence.run(cell, x, wIh, wHh, bIh, bHh, h0, c0, reverse, b, t, in, h);

        double[] xs = x.toDoubleArray(), wi = wIh.toDoubleArray(), wh = wHh.toDoubleArray();
        double[] bi = bIh == null ? null : bIh.toDoubleArray(), bh = bHh == null ? null : bHh.toDoubleArray();
        // The input side of every step at once: xw[b, t, :] = W_ih x_t + b_ih.
        double[] xw = new double[b * t * gh];
        for (int r = 0; r < b * t; r++) {
            for (int j = 0; j < gh; j++) {
                double s = bi == null ? 0 : bi[j];
                int wo = j * in, xo = r * in;
                for (int k = 0; k < in; k++) s += wi[wo + k] * xs[xo + k];
                xw[r * gh + j] = s;
            }
        }
        double[] hInit = h0 == null ? new double[b * h] : h0.toDoubleArray();
        double[] cInit = c0 == null ? new double[b * h] : c0.toDoubleArray();
        // Kept per step (indexed by time position): the hidden state before the step, the gate
        // activations after their nonlinearities, the cell state after it (LSTM), and the GRU's
        // W_hn h + b_hn.
        double[] hPrev = new double[t * b * h];
        double[] act = new double[t * b * gh];
        double[] cAfter = cell == Cell.LSTM ? new double[t * b * h] : null;
        double[] hn = cell == Cell.GRU ? new double[t * b * h] : null;
        double[] out = new double[b * t * h];
        double[] hCur = hInit.clone(), cCur = cInit.clone();
        double[] hw = new double[gh];
        for (int step = 0; step < t; step++) {
            int pos = reverse ? t - 1 - step : step;
            System.arraycopy(hCur, 0, hPrev, pos * b * h, b * h);
            for (int n = 0; n < b; n++) {
                int ho = n * h;
                for (int j = 0; j < gh; j++) {
                    double s = bh == null ? 0 : bh[j];
                    int wo = j * h;
                    for (int k = 0; k < h; k++) s += wh[wo + k] * hCur[ho + k];
                    hw[j] = s;
                }
                int xo = (n * t + pos) * gh, ao = (pos * b + n) * gh;
                switch (cell) {
                    case RNN_TANH, RNN_RELU -> {
                        for (int j = 0; j < h; j++) {
                            double a = xw[xo + j] + hw[j];
                            double v = cell == Cell.RNN_TANH ? Math.tanh(a) : Math.max(a, 0);
                            act[ao + j] = v;
                            hCur[ho + j] = v;
                        }
                    }
                    case LSTM -> {
                        for (int j = 0; j < h; j++) {
                            double i = sigmoid(xw[xo + j] + hw[j]);
                            double f = sigmoid(xw[xo + h + j] + hw[h + j]);
                            double gg = Math.tanh(xw[xo + 2 * h + j] + hw[2 * h + j]);
                            double o = sigmoid(xw[xo + 3 * h + j] + hw[3 * h + j]);
                            double c = f * cCur[ho + j] + i * gg;
                            act[ao + j] = i;
                            act[ao + h + j] = f;
                            act[ao + 2 * h + j] = gg;
                            act[ao + 3 * h + j] = o;
                            cCur[ho + j] = c;
                            cAfter[(pos * b + n) * h + j] = c;
                            hCur[ho + j] = o * Math.tanh(c);
                        }
                    }
                    case GRU -> {
                        for (int j = 0; j < h; j++) {
                            double r = sigmoid(xw[xo + j] + hw[j]);
                            double z = sigmoid(xw[xo + h + j] + hw[h + j]);
                            double nn = Math.tanh(xw[xo + 2 * h + j] + r * hw[2 * h + j]);
                            act[ao + j] = r;
                            act[ao + h + j] = z;
                            act[ao + 2 * h + j] = nn;
                            hn[(pos * b + n) * h + j] = hw[2 * h + j];
                            hCur[ho + j] = (1 - z) * nn + z * hCur[ho + j];
                        }
                    }
                }
                System.arraycopy(hCur, ho, out, (n * t + pos) * h, h);
            }
        }
        Tensor output = fromDoubles(x.dtype, out, b, t, h);
        Tensor cellState = cell == Cell.LSTM ? fromDoubles(x.dtype, cCur, b, h) : null;
        final int fb = b, ft = t, fin = in, fh = h, fgh = gh;
        Ops.record(output, "recurrence", gOut -> {
            double[] go = gOut.toDoubleArray();
            double[] dx = new double[xs.length], dwi = new double[wi.length], dwh = new double[wh.length];
            double[] dbi = new double[gh], dbh = new double[gh];
            double[] dh = new double[fb * fh], dc = new double[fb * fh];
            double[] dIn = new double[fgh], dHid = new double[fgh];
            double[] dhNext = new double[fb * fh];
            for (int step = ft - 1; step >= 0; step--) {
                int pos = reverse ? ft - 1 - step : step;
                Arrays.fill(dhNext, 0);
                for (int n = 0; n < fb; n++) {
                    int ho = n * fh, ao = (pos * fb + n) * fgh, po = (pos * fb + n) * fh;
                    for (int j = 0; j < fh; j++) dh[ho + j] += go[(n * ft + pos) * fh + j];
                    switch (cell) {
                        case RNN_TANH, RNN_RELU -> {
                            for (int j = 0; j < fh; j++) {
                                double v = act[ao + j];
                                double d = dh[ho + j] * (cell == Cell.RNN_TANH ? 1 - v * v : (v > 0 ? 1 : 0));
                                dIn[j] = d;
                                dHid[j] = d;
                            }
                        }
                        case LSTM -> {
                            for (int j = 0; j < fh; j++) {
                                double i = act[ao + j], f = act[ao + fh + j], gg = act[ao + 2 * fh + j], o = act[ao + 3 * fh + j];
                                double c = cAfter[po + j], tc = Math.tanh(c);
                                double cPrev = step == 0 ? cInit[ho + j] : cAfter[((reverse ? pos + 1 : pos - 1) * fb + n) * fh + j];
                                double dcc = dc[ho + j] + dh[ho + j] * o * (1 - tc * tc);
                                dIn[j] = dcc * gg * i * (1 - i);
                                dIn[fh + j] = dcc * cPrev * f * (1 - f);
                                dIn[2 * fh + j] = dcc * i * (1 - gg * gg);
                                dIn[3 * fh + j] = dh[ho + j] * tc * o * (1 - o);
                                dc[ho + j] = dcc * f;
                            }
                            System.arraycopy(dIn, 0, dHid, 0, fgh);
                        }
                        case GRU -> {
                            for (int j = 0; j < fh; j++) {
                                double r = act[ao + j], z = act[ao + fh + j], nn = act[ao + 2 * fh + j];
                                double hp = hPrev[po + j], d = dh[ho + j];
                                double dnPre = d * (1 - z) * (1 - nn * nn);
                                double dzPre = d * (hp - nn) * z * (1 - z);
                                double drPre = dnPre * hn[po + j] * r * (1 - r);
                                dIn[j] = drPre;
                                dIn[fh + j] = dzPre;
                                dIn[2 * fh + j] = dnPre;
                                dHid[j] = drPre;
                                dHid[fh + j] = dzPre;
                                dHid[2 * fh + j] = dnPre * r;
                                dhNext[ho + j] += d * z;
                            }
                        }
                    }
                    // Input side: dx_t = W_ih^T dIn, dW_ih += dIn x_t^T, db_ih += dIn.
                    int xo = (n * ft + pos) * fin;
                    for (int j = 0; j < fgh; j++) {
                        double d = dIn[j];
                        if (d == 0) continue;
                        dbi[j] += d;
                        int wo = j * fin;
                        for (int k = 0; k < fin; k++) {
                            dx[xo + k] += wi[wo + k] * d;
                            dwi[wo + k] += d * xs[xo + k];
                        }
                    }
                    // Hidden side: dh_prev += W_hh^T dHid, dW_hh += dHid h_prev^T, db_hh += dHid.
                    for (int j = 0; j < fgh; j++) {
                        double d = dHid[j];
                        if (d == 0) continue;
                        dbh[j] += d;
                        int wo = j * fh;
                        for (int k = 0; k < fh; k++) {
                            dhNext[ho + k] += wh[wo + k] * d;
                            dwh[wo + k] += d * hPrev[po + k];
                        }
                    }
                }
                System.arraycopy(dhNext, 0, dh, 0, dh.length);
            }
            return new Tensor[] {
                    x.requiresGrad() ? fromDoubles(x.dtype, dx, x.shape) : null,
                    wIh.requiresGrad() ? fromDoubles(x.dtype, dwi, wIh.shape) : null,
                    wHh.requiresGrad() ? fromDoubles(x.dtype, dwh, wHh.shape) : null,
                    bIh != null && bIh.requiresGrad() ? fromDoubles(x.dtype, dbi, bIh.shape) : null,
                    bHh != null && bHh.requiresGrad() ? fromDoubles(x.dtype, dbh, bHh.shape) : null,
                    h0 != null && h0.requiresGrad() ? fromDoubles(x.dtype, dh.clone(), h0.shape) : null,
                    c0 != null && c0.requiresGrad() ? fromDoubles(x.dtype, dc.clone(), c0.shape) : null};
        }, x, wIh, wHh, bIh, bHh, h0, c0);
        return new Result(output, cellState);
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    private static void check(String name, Tensor t, int... shape) {
        if (!Arrays.equals(t.shape, shape)) {
            throw new ShapeException("recurrence: " + name + " has shape " + Shapes.format(t.shape) + ", expected " + Shapes.format(shape));
        }
    }

    private static Tensor fromDoubles(DType dtype, double[] values, int... shape) {
        if (dtype == DType.F64) return Tensor.of(values, shape.clone());
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
        return Tensor.of(f, shape.clone());
    }
}
