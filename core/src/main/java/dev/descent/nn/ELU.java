package dev.descent.nn;

import dev.descent.tensor.Tensor;

/**
 * Exponential linear unit (Clevert, Unterthiner and Hochreiter, "Fast and Accurate Deep Network
 * Learning by Exponential Linear Units (ELUs)", ICLR 2016): {@code x} for {@code x > 0}, otherwise
 * {@code alpha * (exp(x) - 1)} (default alpha 1). The exponential is taken of {@code min(x, 0)},
 * so large positive inputs cannot overflow into the unselected branch's gradient.
 */
public final class ELU extends Module {
    private final double alpha;

    ELU(double alpha) {
        this.alpha = alpha;
    }

    public double alpha() {
        return alpha;
    }

    /** Keeps nothing of its input or output outside the recorded graph. */
    @Override
    public boolean keepsActivations() {
        return false;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor negative = x.clamp(Double.NaN, 0).exp().sub(1).mul(alpha);
        return Tensor.where(x.gt(0), x, negative);
    }

    @Override
    protected String extraRepr() {
        return "alpha=" + alpha;
    }
}
