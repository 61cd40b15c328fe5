package dev.descent.optim;

import java.util.List;

/**
 * Stochastic gradient descent with optional momentum (Polyak's heavy ball, or Nesterov's
 * accelerated gradient as formulated by Sutskever et al. 2013, "On the importance of
 * initialization and momentum in deep learning"), matching {@code torch.optim.SGD}.
 *
 * <pre>
 *   g = grad (negated if maximize) + weight_decay * theta            (coupled L2)
 *   b = g                                   at the first step
 *   b = momentum * b + (1 - dampening) * g  afterwards
 *   d = g + momentum * b   if nesterov,   d = b   otherwise           (d = g if momentum == 0)
 *   theta = theta - lr * d
 * </pre>
 *
 * State: {@code momentum_buffer} (only when momentum is non-zero).
 *
 * @param momentum momentum factor, {@code >= 0}
 * @param dampening dampening of the momentum, {@code >= 0}
 * @param nesterov Nesterov momentum; needs momentum {@code > 0} and dampening 0
 */
public record Sgd(double momentum, double dampening, boolean nesterov) implements UpdateRule {
    public Sgd {
        Check.nonNegative("momentum", momentum);
        Check.nonNegative("dampening", dampening);
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("Invalid nesterov: Nesterov momentum requires a momentum > 0 and zero dampening"
                    + " (got momentum " + momentum + ", dampening " + dampening + ")");
        }
    }

    @Override
    public String name() {
        return "SGD";
    }

    @Override
    public List<Buffer> buffers(int numel) {
        return momentum == 0 ? List.of() : List.of(new Buffer("momentum_buffer", numel, 0f));
    }

    @Override
    public void update(float[] p, float[] grad, float[][] state, long step, double lr, double weightDecay, boolean maximize) {
        final float wd = (float) weightDecay;
        final float negLr = (float) -lr;
        final float mom = (float) momentum;
        final float keep = (float) (1 - dampening);
        final boolean decay = weightDecay != 0;
        final float[] buf = momentum == 0 ? null : state[0];
        final boolean first = step == 1;
        for (int i = 0; i < p.length; i++) {
            float d = maximize ? -grad[i] : grad[i];
            if (decay) d = d + wd * p[i];
            if (buf != null) {
                float b = first ? d : buf[i] * mom + keep * d;
                buf[i] = b;
                d = nesterov ? d + mom * b : b;
            }
            p[i] = p[i] + negLr * d;
        }
    }
}
