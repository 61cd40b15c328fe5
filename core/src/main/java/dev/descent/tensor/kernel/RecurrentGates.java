package dev.descent.tensor.kernel;

/**
 * The per-step gate math of the recurrent cells for one batch row, the scalar definition: the
 * passes below, each elementwise over a row's gate values, with {@link FloatMath}'s sigmoid and
 * tanh. {@code vector} runs {@link VectorRecurrentGates}, the same passes lane by lane (the same
 * operations in the same order per element, so the same bits; the tail of each pass runs the
 * scalar pass). Gate blocks are PyTorch's: LSTM rows i, f, g, o and GRU rows r, z, n, each
 * {@code h} wide. Callers choose {@code vector} with {@link KernelMode#vectorFor} over a whole
 * step's gate values, so a layer too small to earn the Vector API's warm-up stays scalar.
 *
 * <pre>
 * LSTM  i, f, o = sigmoid(pre), g = tanh(pre)   pre = (x W_ih^T + b_ih) + (h W_hh^T + b_hh)
 *       c' = f c + i g,  h' = o tanh(c')
 * GRU   r, z = sigmoid(pre),  n = tanh((x W_in^T + b_in) + r (h W_hn^T + b_hn)),  h' = (1 - z) n + z h
 * </pre>
 */
public final class RecurrentGates {
    private RecurrentGates() {}

    /**
     * One LSTM step of a row: the gate activations into {@code act[xo ..]} (laid out as the
     * pre-activations {@code xw[xo ..]}, 4h values), the new cell state into {@code c[co ..]} and
     * {@code cAfter[cao ..]}, the new hidden state into {@code hOut[ho ..]}.
     */
    public static void lstmForward(boolean vector, int h, float[] xw, int xo, float[] bi, float[] hw, int wo, float[] bh,
                                   float[] act, float[] c, int co, float[] cAfter, int cao, float[] hOut, int ho) {
        if (vector) {
            VectorRecurrentGates.lstmForward(h, xw, xo, bi, hw, wo, bh, act, c, co, cAfter, cao, hOut, ho);
            return;
        }
        sigmoidGates(0, 2 * h, xw, xo, bi, 0, hw, wo, bh, 0, act, xo);
        tanhGates(0, h, xw, xo + 2 * h, bi, 2 * h, hw, wo + 2 * h, bh, 2 * h, act, xo + 2 * h);
        sigmoidGates(0, h, xw, xo + 3 * h, bi, 3 * h, hw, wo + 3 * h, bh, 3 * h, act, xo + 3 * h);
        lstmCell(0, h, h, act, xo, c, co, cAfter, cao);
        lstmHidden(0, h, h, act, xo, cAfter, cao, hOut, ho);
    }

    /**
     * The gate gradients of one LSTM step of a row into {@code dIn[ao ..]} (4h values, laid out as
     * {@code act}), given the gradient {@code dh} reaching the hidden state and {@code dc}
     * reaching the cell state after the step; {@code dc} becomes the gradient reaching the cell
     * state before it. {@code cPrev} is the cell state before the step.
     */
    public static void lstmBackward(boolean vector, int h, float[] act, int ao, float[] cAfter, int cao, float[] cPrev, int cpo,
                                    float[] dh, int dho, float[] dc, int dco, float[] dIn) {
        if (vector) VectorRecurrentGates.lstmBackward(h, act, ao, cAfter, cao, cPrev, cpo, dh, dho, dc, dco, dIn);
        else lstmBackward(0, h, h, act, ao, cAfter, cao, cPrev, cpo, dh, dho, dc, dco, dIn);
    }

    /**
     * One GRU step of a row: r, z, n into {@code act[xo ..]}, {@code W_hn h + b_hn} into
     * {@code hn[hno ..]} (the backward pass needs it), the new hidden state over {@code state[so ..]}.
     */
    public static void gruForward(boolean vector, int h, float[] xw, int xo, float[] bi, float[] hw, int wo, float[] bh,
                                  float[] act, float[] hn, int hno, float[] state, int so) {
        if (vector) {
            VectorRecurrentGates.gruForward(h, xw, xo, bi, hw, wo, bh, act, hn, hno, state, so);
            return;
        }
        sigmoidGates(0, 2 * h, xw, xo, bi, 0, hw, wo, bh, 0, act, xo);
        gruCandidate(0, h, h, xw, xo, bi, hw, wo, bh, act, hn, hno, state, so);
    }

    /** A tanh RNN step of a row: {@code act[xo ..] = tanh(pre)} (h values). */
    public static void tanhForward(boolean vector, int h, float[] xw, int xo, float[] bi, float[] hw, int wo, float[] bh, float[] act) {
        if (vector) VectorRecurrentGates.tanhGates(h, xw, xo, bi, 0, hw, wo, bh, 0, act, xo);
        else tanhGates(0, h, xw, xo, bi, 0, hw, wo, bh, 0, act, xo);
    }

    // The passes, over elements [from, to) of their blocks. Each is the definition its vector
    // twin's lanes follow; Java never fuses a * b + c, so every product and sum rounds once.

    static void sigmoidGates(int from, int to, float[] xw, int xo, float[] bi, int bio, float[] hw, int wo, float[] bh, int bho, float[] act, int ao) {
        for (int j = from; j < to; j++) act[ao + j] = FloatMath.sigmoid((xw[xo + j] + bi[bio + j]) + (hw[wo + j] + bh[bho + j]));
    }

    static void tanhGates(int from, int to, float[] xw, int xo, float[] bi, int bio, float[] hw, int wo, float[] bh, int bho, float[] act, int ao) {
        for (int j = from; j < to; j++) act[ao + j] = FloatMath.tanh((xw[xo + j] + bi[bio + j]) + (hw[wo + j] + bh[bho + j]));
    }

    /** c' = f c + i g. */
    static void lstmCell(int from, int to, int h, float[] act, int ao, float[] c, int co, float[] cAfter, int cao) {
        for (int j = from; j < to; j++) {
            float next = act[ao + h + j] * c[co + j] + act[ao + j] * act[ao + 2 * h + j];
            c[co + j] = next;
            cAfter[cao + j] = next;
        }
    }

    /** h' = o tanh(c'). */
    static void lstmHidden(int from, int to, int h, float[] act, int ao, float[] cAfter, int cao, float[] hOut, int ho) {
        for (int j = from; j < to; j++) hOut[ho + j] = act[ao + 3 * h + j] * FloatMath.tanh(cAfter[cao + j]);
    }

    /**
     * dc_total = dc + dh o (1 - tanh(c')^2);  d pre_i = dc_total g i (1 - i),  d pre_f = dc_total
     * c f (1 - f),  d pre_g = dc_total i (1 - g^2),  d pre_o = dh tanh(c') o (1 - o);  dc = dc_total f.
     */
    static void lstmBackward(int from, int to, int h, float[] act, int ao, float[] cAfter, int cao, float[] cPrev, int cpo,
                             float[] dh, int dho, float[] dc, int dco, float[] dIn) {
        for (int j = from; j < to; j++) {
            float i = act[ao + j], f = act[ao + h + j], g = act[ao + 2 * h + j], o = act[ao + 3 * h + j];
            float tc = FloatMath.tanh(cAfter[cao + j]);
            float d = dh[dho + j];
            float dcc = dc[dco + j] + d * o * (1 - tc * tc);
            dIn[ao + j] = dcc * g * i * (1 - i);
            dIn[ao + h + j] = dcc * cPrev[cpo + j] * f * (1 - f);
            dIn[ao + 2 * h + j] = dcc * i * (1 - g * g);
            dIn[ao + 3 * h + j] = d * tc * o * (1 - o);
            dc[dco + j] = dcc * f;
        }
    }

    /** n = tanh((xw_n + b_in) + r hidden) with hidden = hw_n + b_hn;  h' = (1 - z) n + z h. */
    static void gruCandidate(int from, int to, int h, float[] xw, int xo, float[] bi, float[] hw, int wo, float[] bh,
                             float[] act, float[] hn, int hno, float[] state, int so) {
        for (int j = from; j < to; j++) {
            float hidden = hw[wo + 2 * h + j] + bh[2 * h + j];
            float n = FloatMath.tanh((xw[xo + 2 * h + j] + bi[2 * h + j]) + act[xo + j] * hidden);
            float z = act[xo + h + j];
            act[xo + 2 * h + j] = n;
            hn[hno + j] = hidden;
            state[so + j] = (1 - z) * n + z * state[so + j];
        }
    }
}
