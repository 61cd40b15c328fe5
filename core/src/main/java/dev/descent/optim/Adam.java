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
        for (int i = 0; i < p.length; i++) {
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
}
