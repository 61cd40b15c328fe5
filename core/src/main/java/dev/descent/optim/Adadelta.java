package dev.descent.optim;

import java.util.List;

/**
 * AdaDelta (Zeiler 2012, "ADADELTA: an adaptive learning rate method"), matching
 * {@code torch.optim.Adadelta}.
 *
 * <pre>
 *   g     = grad (negated if maximize) + weight_decay * theta
 *   v     = rho * v + (1 - rho) * g^2
 *   delta = sqrt(u + eps) / sqrt(v + eps) * g
 *   u     = rho * u + (1 - rho) * delta^2
 *   theta = theta - lr * delta
 * </pre>
 *
 * State: {@code square_avg} (v), {@code acc_delta} (u).
 *
 * @param rho decay of the running averages, in [0, 1]
 * @param eps term added inside the square roots, {@code >= 0} (PyTorch's default 1e-6)
 */
public record Adadelta(double rho, double eps) implements UpdateRule {
    public Adadelta {
        Check.closedUnitInterval("rho", rho);
        Check.nonNegative("eps", eps);
    }

    @Override
    public String name() {
        return "Adadelta";
    }

    @Override
    public List<Buffer> buffers(int numel) {
        return List.of(new Buffer("square_avg", numel, 0f), new Buffer("acc_delta", numel, 0f));
    }

    @Override
    public void update(float[] p, float[] grad, float[][] state, long step, double lr, double weightDecay, boolean maximize) {
        final float[] sq = state[0];
        final float[] acc = state[1];
        final float wd = (float) weightDecay;
        final boolean decay = weightDecay != 0;
        final float r = (float) rho;
        final float oneMinusRho = (float) (1 - rho);
        final float e = (float) eps;
        final float negLr = (float) -lr;
        for (int i = 0; i < p.length; i++) {
            float g = maximize ? -grad[i] : grad[i];
            if (decay) g = g + wd * p[i];
            float v = sq[i] * r + oneMinusRho * g * g;
            sq[i] = v;
            float std = (float) Math.sqrt(v + e);
            float delta = (float) Math.sqrt(acc[i] + e) / std * g;
            acc[i] = acc[i] * r + oneMinusRho * delta * delta;
            p[i] = p[i] + negLr * delta;
        }
    }
}
