package dev.descent.optim;

import java.util.List;

/**
 * Adam (Kingma and Ba 2015, "Adam: a method for stochastic optimization"), with the AMSGrad
 * variant (Reddi, Kale and Kumar 2018, "On the convergence of Adam and beyond") and either coupled
 * L2 weight decay ({@code torch.optim.Adam}) or decoupled weight decay, which is AdamW (Loshchilov
 * and Hutter 2019, "Decoupled weight decay regularization"; {@code torch.optim.AdamW}).
 *
 * <pre>
 *   theta = theta * (1 - lr * weight_decay)                     (decoupled only, first)
 *   g = grad (negated if maximize) [+ weight_decay * theta]     (coupled only)
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g^2
 *   vmax = max(vmax, v);  v' = amsgrad ? vmax : v
 *   theta = theta - lr / (1 - beta1^t) * m / (sqrt(v') / sqrt(1 - beta2^t) + eps)
 * </pre>
 *
 * State: {@code exp_avg}, {@code exp_avg_sq}, {@code max_exp_avg_sq} (amsgrad only).
 *
 * <p>Moments of weights whose gradient is zero (dead units, pixels never lit) decay into float32's
 * subnormal range, where each x86 float operation takes a slow microcode path. {@link #wide} is the
 * update of one element in double, rounded to float32 after every operation ({@link WideFloat}):
 * the same bits with no subnormal arithmetic, for the elements {@link #isTiny} picks. It is not
 * used by {@link #update} yet: as scalar code it cost 35-100 ns an element against about 27 ns of
 * subnormal penalty per tiny lane in the auto-vectorized float loop (measured on a loaded machine,
 * relative figures only); it pays once done on double vectors.
 *
 * @param beta1 decay of the first moment, in [0, 1)
 * @param beta2 decay of the second moment, in [0, 1)
 * @param eps term added to the denominator, {@code >= 0}
 * @param amsgrad use the maximum of past second moments
 * @param decoupled decoupled weight decay (AdamW) instead of L2 added to the gradient (Adam)
 */
public record Adam(double beta1, double beta2, double eps, boolean amsgrad, boolean decoupled) implements UpdateRule {
    public Adam {
        Check.unitInterval("beta1", beta1);
        Check.unitInterval("beta2", beta2);
        Check.nonNegative("eps", eps);
    }

    @Override
    public String name() {
        return decoupled ? "AdamW" : "Adam";
    }

    @Override
    public List<Buffer> buffers(int numel) {
        return amsgrad
                ? List.of(new Buffer("exp_avg", numel, 0f), new Buffer("exp_avg_sq", numel, 0f), new Buffer("max_exp_avg_sq", numel, 0f))
                : List.of(new Buffer("exp_avg", numel, 0f), new Buffer("exp_avg_sq", numel, 0f));
    }

    @Override
    public void update(float[] p, float[] grad, float[][] state, long step, double lr, double weightDecay, boolean maximize) {
        final float[] m = state[0];
        final float[] v = state[1];
        final float[] vmax = amsgrad ? state[2] : null;
        final boolean coupled = !decoupled && weightDecay != 0;
        final boolean shrink = decoupled && weightDecay != 0;
        final float wd = (float) weightDecay;
        final float shrinkBy = (float) (1 - lr * weightDecay);
        final float b1 = (float) beta1;
        final float b2 = (float) beta2;
        final float oneMinusB1 = (float) (1 - beta1);
        final float oneMinusB2 = (float) (1 - beta2);
        final double biasCorrection1 = 1 - Math.pow(beta1, step);
        final double biasCorrection2 = 1 - Math.pow(beta2, step);
        final float negStepSize = (float) -(lr / biasCorrection1);
        final float bc2Sqrt = (float) Math.sqrt(biasCorrection2);
        final float e = (float) eps;
        floats(p, grad, m, v, vmax, 0, p.length, shrink, shrinkBy, maximize, coupled, wd, b1, oneMinusB1, b2, oneMinusB2, bc2Sqrt, e, negStepSize);
    }

    /**
     * The limit ({@link TinyValues#limitFor}) for the parameter itself: under coupled decay
     * {@code wd * theta} joins the gradient, so the parameter must stay above {@code BELOW / wd}.
     */
    static int thetaLimit(boolean coupled, float wd) {
        return coupled && wd < 1 ? TinyValues.limitFor(TinyValues.BELOW / wd) : TinyValues.LIMIT;
    }

    /** Whether any operand of element {@code i} is tiny, so that its update goes through {@link #wide}. */
    static boolean isTiny(float[] p, float[] grad, float[] m, float[] v, float[] vmax, int thetaLimit, int i) {
        return TinyValues.isTiny(grad[i]) || TinyValues.isTiny(m[i]) || TinyValues.isTiny(v[i])
                || TinyValues.isTiny(p[i], thetaLimit) || (vmax != null && TinyValues.isTiny(vmax[i]));
    }

    /** The update in float32, PyTorch 1.13's operation order. */
    static void floats(float[] p, float[] grad, float[] m, float[] v, float[] vmax, int from, int to,
            boolean shrink, float shrinkBy, boolean maximize, boolean coupled, float wd, float b1, float oneMinusB1,
            float b2, float oneMinusB2, float bc2Sqrt, float e, float negStepSize) {
        for (int i = from; i < to; i++) {
            float theta = p[i];
            if (shrink) theta = theta * shrinkBy;
            float g = maximize ? -grad[i] : grad[i];
            if (coupled) g = g + wd * theta;
            float mi = m[i] * b1 + oneMinusB1 * g;
            float vi = v[i] * b2 + oneMinusB2 * g * g;
            m[i] = mi;
            v[i] = vi;
            if (vmax != null) {
                vi = Math.max(vmax[i], vi);
                vmax[i] = vi;
            }
            float denom = (float) Math.sqrt(vi) / bc2Sqrt + e;
            p[i] = theta + negStepSize * mi / denom;
        }
    }

    /** The same operations on element {@code i}, each in double and rounded to float32 (see {@link WideFloat}). */
    static void wide(float[] p, float[] grad, float[] m, float[] v, float[] vmax, int i,
            boolean shrink, float shrinkBy, boolean maximize, boolean coupled, float wd, float b1, float oneMinusB1,
            float b2, float oneMinusB2, float bc2Sqrt, float e, float negStepSize) {
        double theta = WideFloat.of(p[i]);
        if (shrink) theta = WideFloat.round(theta * shrinkBy);
        double g = WideFloat.of(grad[i]);
        if (maximize) g = -g;
        if (coupled) g = WideFloat.round(g + WideFloat.round(wd * theta));
        double mi = WideFloat.round(WideFloat.round(WideFloat.of(m[i]) * b1) + WideFloat.round(oneMinusB1 * g));
        double vi = WideFloat.round(WideFloat.round(WideFloat.of(v[i]) * b2) + WideFloat.round(WideFloat.round(oneMinusB2 * g) * g));
        m[i] = WideFloat.toFloat(mi);
        v[i] = WideFloat.toFloat(vi);
        if (vmax != null) {
            vi = Math.max(WideFloat.of(vmax[i]), vi);
            vmax[i] = WideFloat.toFloat(vi);
        }
        double denom = WideFloat.round(WideFloat.round(WideFloat.round(Math.sqrt(vi)) / bc2Sqrt) + e);
        p[i] = WideFloat.toFloat(WideFloat.round(theta + WideFloat.round(WideFloat.round(negStepSize * mi) / denom)));
    }
}
