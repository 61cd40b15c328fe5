package dev.descent.optim;

import java.util.ArrayList;
import java.util.List;

/**
 * RMSprop (Hinton, Srivastava and Swersky, Neural Networks for Machine Learning, lecture 6e,
 * 2012; the centered variant from Graves 2013), matching {@code torch.optim.RMSprop}.
 *
 * <pre>
 *   g   = grad (negated if maximize) + weight_decay * theta
 *   v   = alpha * v + (1 - alpha) * g^2
 *   a   = alpha * a + (1 - alpha) * g          (centered only)
 *   den = sqrt(v - a^2) + eps  if centered,  sqrt(v) + eps  otherwise
 *   b   = momentum * b + g / den;  theta = theta - lr * b     if momentum > 0
 *   theta = theta - lr * g / den                              otherwise
 * </pre>
 *
 * State: {@code square_avg}, {@code momentum_buffer} (momentum > 0), {@code grad_avg} (centered).
 *
 * @param alpha smoothing constant, in [0, 1]
 * @param eps term added to the denominator, {@code >= 0} (PyTorch's default 1e-8)
 * @param momentum momentum factor, {@code >= 0}
 * @param centered normalize by the estimated variance instead of the second moment
 */
public record RmsProp(double alpha, double eps, double momentum, boolean centered) implements UpdateRule {
    public RmsProp {
        Check.closedUnitInterval("alpha", alpha);
        Check.nonNegative("eps", eps);
        Check.nonNegative("momentum", momentum);
    }

    @Override
    public String name() {
        return "RMSprop";
    }

    @Override
    public List<Buffer> buffers(int numel) {
        List<Buffer> b = new ArrayList<>(3);
        b.add(new Buffer("square_avg", numel, 0f));
        if (momentum > 0) b.add(new Buffer("momentum_buffer", numel, 0f));
        if (centered) b.add(new Buffer("grad_avg", numel, 0f));
        return List.copyOf(b);
    }

    @Override
    public void update(float[] p, float[] grad, float[][] state, long step, double lr, double weightDecay, boolean maximize) {
        final float[] sq = state[0];
        final float[] buf = momentum > 0 ? state[1] : null;
        final float[] avgG = centered ? state[momentum > 0 ? 2 : 1] : null;
        final float wd = (float) weightDecay;
        final boolean decay = weightDecay != 0;
        final float a = (float) alpha;
        final float oneMinusA = (float) (1 - alpha);
        final float e = (float) eps;
        final float mom = (float) momentum;
        final float negLr = (float) -lr;
        for (int i = 0; i < p.length; i++) {
            float g = maximize ? -grad[i] : grad[i];
            if (decay) g = g + wd * p[i];
            float v = sq[i] * a + oneMinusA * g * g;
            sq[i] = v;
            float den;
            if (avgG != null) {
                float m = avgG[i] * a + oneMinusA * g;
                avgG[i] = m;
                den = (float) Math.sqrt(v + -1f * m * m);
            } else {
                den = (float) Math.sqrt(v);
            }
            den = den + e;
            if (buf != null) {
                float b = buf[i] * mom + 1f * g / den;
                buf[i] = b;
                p[i] = p[i] + negLr * b;
            } else {
                p[i] = p[i] + negLr * g / den;
            }
        }
    }
}
