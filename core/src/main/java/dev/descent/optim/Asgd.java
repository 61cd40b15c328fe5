package dev.descent.optim;

import java.util.List;

/**
 * Averaged SGD (Polyak and Juditsky 1992, "Acceleration of stochastic approximation by averaging";
 * the step sizes of Bottou 2012, "Stochastic gradient descent tricks"), matching
 * {@code torch.optim.ASGD}: SGD with a decaying rate, plus a running average {@code ax} of the
 * parameters that starts after {@code t0} steps. The parameters themselves follow plain SGD; the
 * average is state ({@code ax}), as in PyTorch.
 *
 * <pre>
 *   eta_t = lr / (1 + lambd * lr * (t - 1))^alpha     (eta_1 = lr; kept in float32, as PyTorch's tensor)
 *   mu_t  = 1 / max(1, t - 1 - t0)                    (mu_1 = 1)
 *   g     = grad (negated if maximize) + weight_decay * theta
 *   theta = theta * (1 - lambd * eta_t)
 *   theta = theta - eta_t * g
 *   ax    = mu_t == 1 ? theta : ax + (theta - ax) * mu_t
 * </pre>
 *
 * PyTorch computes {@code eta} for the next step with the rate of this one; here the rate of the
 * step itself is used, which is the same for a constant rate (ASGD's own decay is the schedule).
 *
 * @param lambd decay term, {@code >= 0} (PyTorch's default 1e-4)
 * @param alpha power of the rate decay, {@code >= 0} (0.75)
 * @param t0    step at which averaging starts, {@code >= 0} (1e6)
 */
public record Asgd(double lambd, double alpha, double t0) implements UpdateRule {
    public Asgd {
        Check.nonNegative("lambd", lambd);
        Check.nonNegative("alpha", alpha);
        Check.nonNegative("t0", t0);
    }

    @Override
    public String name() {
        return "ASGD";
    }

    @Override
    public List<Buffer> buffers(int numel) {
        return List.of(new Buffer("ax", numel, 0f));
    }

    @Override
    public void update(float[] p, float[] grad, float[][] state, long step, double lr, double weightDecay, boolean maximize) {
        final float[] ax = state[0];
        final double eta = (float) (lr / Math.pow(1 + lambd * lr * (step - 1), alpha));
        final float shrink = (float) (1 - lambd * eta);
        final float negEta = (float) -eta;
        final double muValue = (float) (1.0 / Math.max(1, step - 1 - t0));
        final boolean averaging = muValue != 1;
        final float mu = (float) muValue;
        final float wd = (float) weightDecay;
        final boolean decay = weightDecay != 0;
        for (int i = 0; i < p.length; i++) {
            float g = maximize ? -grad[i] : grad[i];
            if (decay) g = g + wd * p[i];
            float theta = p[i] * shrink;
            theta = theta + negEta * g;
            p[i] = theta;
            ax[i] = averaging ? ax[i] + (theta - ax[i]) * mu : theta;
        }
    }
}
