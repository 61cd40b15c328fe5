package dev.descent.optim;

import java.util.List;

/**
 * Lion, "EvoLved Sign Momentum" (Chen et al. 2023, "Symbolic discovery of optimization
 * algorithms"). PyTorch has no Lion; this follows the paper's update, with decoupled weight decay
 * applied first as in the authors' reference code (the order the fixtures use).
 *
 * <pre>
 *   theta = theta * (1 - lr * weight_decay)
 *   c = beta1 * m + (1 - beta1) * g              (g negated if maximize)
 *   theta = theta - lr * sign(c)
 *   m = beta2 * m + (1 - beta2) * g
 * </pre>
 *
 * The paper suggests a learning rate 3-10x smaller than AdamW's and a weight decay 3-10x larger.
 * State: {@code exp_avg}.
 *
 * @param beta1 interpolation for the update direction, in [0, 1)
 * @param beta2 decay of the momentum, in [0, 1)
 */
public record Lion(double beta1, double beta2) implements UpdateRule {
    public Lion {
        Check.unitInterval("beta1", beta1);
        Check.unitInterval("beta2", beta2);
    }

    @Override
    public String name() {
        return "Lion";
    }

    @Override
    public List<Buffer> buffers(int numel) {
        return List.of(new Buffer("exp_avg", numel, 0f));
    }

    @Override
    public void update(float[] p, float[] grad, float[][] state, long step, double lr, double weightDecay, boolean maximize) {
        final float[] m = state[0];
        final boolean shrink = weightDecay != 0;
        final float shrinkBy = (float) (1 - lr * weightDecay);
        final float negLr = (float) -lr;
        final float b1 = (float) beta1;
        final float b2 = (float) beta2;
        final float oneMinusB1 = (float) (1 - beta1);
        final float oneMinusB2 = (float) (1 - beta2);
        for (int i = 0; i < p.length; i++) {
            float theta = shrink ? p[i] * shrinkBy : p[i];
            float g = maximize ? -grad[i] : grad[i];
            float c = m[i] * b1 + oneMinusB1 * g;
            p[i] = theta + negLr * Math.signum(c);
            m[i] = m[i] * b2 + oneMinusB2 * g;
        }
    }
}
