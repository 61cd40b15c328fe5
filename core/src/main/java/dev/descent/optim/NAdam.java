package dev.descent.optim;

import java.util.List;

/**
 * NAdam, Adam with Nesterov momentum (Dozat 2016, "Incorporating Nesterov momentum into Adam"),
 * with the momentum schedule of {@code torch.optim.NAdam} in PyTorch 1.13.
 *
 * <pre>
 *   g    = grad (negated if maximize) + weight_decay * theta
 *   mu_t = beta1 * (1 - 0.5 * 0.96^(t * momentum_decay))
 *   P_t  = P_{t-1} * mu_t        (mu_product, kept in float32 as PyTorch does; P_0 = 1)
 *   m = beta1 * m + (1 - beta1) * g;   v = beta2 * v + (1 - beta2) * g^2
 *   den = sqrt(v / (1 - beta2^t)) + eps
 *   Q_t  = P_t * mu_t * mu_{t+1}  (PyTorch 1.13; see below)
 *   theta = theta - lr (1 - mu_t) / (1 - P_t) * g / den - lr mu_{t+1} / (1 - Q_t) * m / den
 * </pre>
 *
 * <p><b>PyTorch 1.13 versus later versions.</b> Dozat's product for the momentum term is
 * {@code P_t * mu_{t+1}}; PyTorch 1.13 multiplies by {@code mu_t} once more (its
 * {@code mu_product_next = mu_product * mu * mu_next} after {@code mu_product *= mu}), which
 * PyTorch 2.0 fixed (pull request 92699). Descent follows 1.13, the version its reference
 * fixtures come from; the difference shrinks the momentum coefficient slightly in the first
 * steps and vanishes as {@code P_t} goes to 0.
 *
 * State: {@code exp_avg}, {@code exp_avg_sq}, {@code mu_product} (one element).
 *
 * @param beta1 decay of the first moment, in [0, 1)
 * @param beta2 decay of the second moment, in [0, 1)
 * @param eps term added to the denominator, {@code >= 0}
 * @param momentumDecay PyTorch's {@code momentum_decay} (default 4e-3), {@code >= 0}
 */
public record NAdam(double beta1, double beta2, double eps, double momentumDecay) implements UpdateRule {
    public NAdam {
        Check.unitInterval("beta1", beta1);
        Check.unitInterval("beta2", beta2);
        Check.nonNegative("eps", eps);
        Check.nonNegative("momentum_decay", momentumDecay);
    }

    @Override
    public String name() {
        return "NAdam";
    }

    @Override
    public List<Buffer> buffers(int numel) {
        return List.of(new Buffer("exp_avg", numel, 0f), new Buffer("exp_avg_sq", numel, 0f), new Buffer("mu_product", 1, 1f));
    }

    @Override
    public void update(float[] p, float[] grad, float[][] state, long step, double lr, double weightDecay, boolean maximize) {
        final float[] m = state[0];
        final float[] v = state[1];
        final float[] muProductCell = state[2];
        final double biasCorrection2 = 1 - Math.pow(beta2, step);
        final double mu = beta1 * (1. - 0.5 * Math.pow(0.96, step * momentumDecay));
        final double muNext = beta1 * (1. - 0.5 * Math.pow(0.96, (step + 1) * momentumDecay));
        final float muProduct = muProductCell[0] * (float) mu; // a float32 tensor in PyTorch
        muProductCell[0] = muProduct;
        final double muProductNext = (double) muProduct * mu * muNext; // PyTorch 1.13
        final float gradCoef = (float) (-lr * (1. - mu) / (1. - muProduct));
        final float momCoef = (float) ((-lr * muNext) / (1. - muProductNext));
        final float wd = (float) weightDecay;
        final boolean decay = weightDecay != 0;
        final float b1 = (float) beta1;
        final float b2 = (float) beta2;
        final float oneMinusB1 = (float) (1 - beta1);
        final float oneMinusB2 = (float) (1 - beta2);
        final float bc2 = (float) biasCorrection2;
        final float e = (float) eps;
        for (int i = 0; i < p.length; i++) {
            float g = maximize ? -grad[i] : grad[i];
            if (decay) g = g + wd * p[i];
            float mi = m[i] * b1 + oneMinusB1 * g;
            float vi = v[i] * b2 + oneMinusB2 * g * g;
            m[i] = mi;
            v[i] = vi;
            float denom = (float) Math.sqrt(vi / bc2) + e;
            float theta = p[i] + gradCoef * g / denom;
            p[i] = theta + momCoef * mi / denom;
        }
    }
}
