package dev.descent.optim;

import java.util.List;

/**
 * Adamax, the infinity-norm variant of Adam (Kingma and Ba 2015, section 7.1), matching
 * {@code torch.optim.Adamax}.
 *
 * <pre>
 *   g = grad (negated if maximize) + weight_decay * theta
 *   m = beta1 * m + (1 - beta1) * g
 *   u = max(beta2 * u, |g| + eps)
 *   theta = theta - lr / (1 - beta1^t) * m / u
 * </pre>
 *
 * State: {@code exp_avg}, {@code exp_inf}.
 *
 * @param beta1 decay of the first moment, in [0, 1)
 * @param beta2 decay of the infinity norm, in [0, 1)
 * @param eps term added to |g|, {@code >= 0}
 */
public record Adamax(double beta1, double beta2, double eps) implements UpdateRule {
    public Adamax {
        Check.unitInterval("beta1", beta1);
        Check.unitInterval("beta2", beta2);
        Check.nonNegative("eps", eps);
    }

    @Override
    public String name() {
        return "Adamax";
    }

    @Override
    public List<Buffer> buffers(int numel) {
        return List.of(new Buffer("exp_avg", numel, 0f), new Buffer("exp_inf", numel, 0f));
    }

    @Override
    public void update(float[] p, float[] grad, float[][] state, long step, double lr, double weightDecay, boolean maximize) {
        final float[] m = state[0];
        final float[] u = state[1];
        final float wd = (float) weightDecay;
        final boolean decay = weightDecay != 0;
        final float b1 = (float) beta1;
        final float b2 = (float) beta2;
        final float oneMinusB1 = (float) (1 - beta1);
        final float e = (float) eps;
        final float negClr = (float) -(lr / (1 - Math.pow(beta1, step)));
        for (int i = 0; i < p.length; i++) {
            float g = maximize ? -grad[i] : grad[i];
            if (decay) g = g + wd * p[i];
            float mi = m[i] * b1 + oneMinusB1 * g;
            m[i] = mi;
            float ui = Math.max(u[i] * b2, Math.abs(g) + e);
            u[i] = ui;
            p[i] = p[i] + negClr * mi / ui;
        }
    }
}
