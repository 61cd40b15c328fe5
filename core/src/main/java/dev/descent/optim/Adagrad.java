package dev.descent.optim;

import java.util.List;

/**
 * AdaGrad (Duchi, Hazan and Singer 2011, "Adaptive subgradient methods for online learning and
 * stochastic optimization"), matching {@code torch.optim.Adagrad}.
 *
 * <pre>
 *   g   = grad (negated if maximize) + weight_decay * theta
 *   clr = lr / (1 + (t - 1) * lr_decay)
 *   s   = s + g * g                       (s starts at initial_accumulator_value)
 *   theta = theta - clr * g / (sqrt(s) + eps)
 * </pre>
 *
 * State: {@code sum}.
 *
 * @param lrDecay learning-rate decay, {@code >= 0}
 * @param initialAccumulatorValue initial value of the sum of squares, {@code >= 0}
 * @param eps term added to the denominator, {@code >= 0} (PyTorch's default 1e-10)
 */
public record Adagrad(double lrDecay, double initialAccumulatorValue, double eps) implements UpdateRule {
    public Adagrad {
        Check.nonNegative("lr_decay", lrDecay);
        Check.nonNegative("initial_accumulator_value", initialAccumulatorValue);
        Check.nonNegative("eps", eps);
    }

    @Override
    public String name() {
        return "Adagrad";
    }

    @Override
    public List<Buffer> buffers(int numel) {
        return List.of(new Buffer("sum", numel, (float) initialAccumulatorValue));
    }

    @Override
    public void update(float[] p, float[] grad, float[][] state, long step, double lr, double weightDecay, boolean maximize) {
        final float[] sum = state[0];
        final float wd = (float) weightDecay;
        final boolean decay = weightDecay != 0;
        final float negClr = (float) -(lr / (1 + (step - 1) * lrDecay));
        final float e = (float) eps;
        for (int i = 0; i < p.length; i++) {
            float g = maximize ? -grad[i] : grad[i];
            if (decay) g = g + wd * p[i];
            float s = sum[i] + g * g;
            sum[i] = s;
            float std = (float) Math.sqrt(s) + e;
            p[i] = p[i] + negClr * g / std;
        }
    }
}
