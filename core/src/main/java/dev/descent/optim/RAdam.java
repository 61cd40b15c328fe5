package dev.descent.optim;

import java.util.List;

/**
 * RAdam, Adam with a rectified adaptive learning rate (Liu et al. 2020, "On the variance of the
 * adaptive learning rate and beyond"), matching {@code torch.optim.RAdam} in PyTorch 1.13.
 *
 * <pre>
 *   g = grad (negated if maximize) + weight_decay * theta
 *   m = beta1 * m + (1 - beta1) * g;   v = beta2 * v + (1 - beta2) * g^2
 *   m' = m / (1 - beta1^t)
 *   rho_inf = 2 / (1 - beta2) - 1;     rho_t = rho_inf - 2 t beta2^t / (1 - beta2^t)
 *   if rho_t > 5:  r = sqrt((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_t))
 *                  theta = theta - m' * lr * sqrt(1 - beta2^t) / (sqrt(v) + eps) * r
 *   else:          theta = theta - m' * lr                     (plain momentum SGD)
 * </pre>
 *
 * State: {@code exp_avg}, {@code exp_avg_sq}.
 *
 * @param beta1 decay of the first moment, in [0, 1)
 * @param beta2 decay of the second moment, in [0, 1)
 * @param eps term added to the denominator, {@code >= 0}
 */
public record RAdam(double beta1, double beta2, double eps) implements UpdateRule {
    public RAdam {
        Check.unitInterval("beta1", beta1);
        Check.unitInterval("beta2", beta2);
        Check.nonNegative("eps", eps);
    }

    @Override
    public String name() {
        return "RAdam";
    }

    @Override
    public List<Buffer> buffers(int numel) {
        return List.of(new Buffer("exp_avg", numel, 0f), new Buffer("exp_avg_sq", numel, 0f));
    }

    @Override
    public void update(float[] p, float[] grad, float[][] state, long step, double lr, double weightDecay, boolean maximize) {
        final float[] m = state[0];
        final float[] v = state[1];
        final double biasCorrection1 = 1 - Math.pow(beta1, step);
        final double biasCorrection2 = 1 - Math.pow(beta2, step);
        final double rhoInf = 2 / (1 - beta2) - 1;
        final double rhoT = rhoInf - 2 * step * Math.pow(beta2, step) / biasCorrection2;
        final boolean rectify = rhoT > 5.;
        final float rect = rectify
                ? (float) Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : 0f;
        final float bc1 = (float) biasCorrection1;
        final float bc2Sqrt = (float) Math.sqrt(biasCorrection2);
        final float flr = (float) lr;
        final float wd = (float) weightDecay;
        final boolean decay = weightDecay != 0;
        final float b1 = (float) beta1;
        final float b2 = (float) beta2;
        final float oneMinusB1 = (float) (1 - beta1);
        final float oneMinusB2 = (float) (1 - beta2);
        final float e = (float) eps;
        for (int i = 0; i < p.length; i++) {
            float g = maximize ? -grad[i] : grad[i];
            if (decay) g = g + wd * p[i];
            float mi = m[i] * b1 + oneMinusB1 * g;
            float vi = v[i] * b2 + oneMinusB2 * g * g;
            m[i] = mi;
            v[i] = vi;
            float corrected = mi / bc1;
            if (rectify) {
                float adaptive = (1f / ((float) Math.sqrt(vi) + e)) * bc2Sqrt; // Python's scalar / tensor is reciprocal() * scalar
                p[i] = p[i] + -1f * (corrected * flr * adaptive * rect);
            } else {
                p[i] = p[i] + -1f * (corrected * flr);
            }
        }
    }
}
