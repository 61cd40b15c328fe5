package dev.descent.nn;

import dev.descent.tensor.Tensor;

/**
 * Smooth rectifier, as PyTorch's {@code nn.Softplus}: {@code log(1 + exp(beta x)) / beta}, and
 * {@code x} itself where {@code beta x > threshold} (for numerical stability; defaults beta 1,
 * threshold 20).
 */
public final class Softplus extends Module {
    private final double beta;
    private final double threshold;

    Softplus(double beta, double threshold) {
        if (!(beta > 0)) throw new IllegalArgumentException("Softplus: beta must be positive, got " + beta);
        this.beta = beta;
        this.threshold = threshold;
    }

    /** Keeps nothing of its input or output outside the recorded graph. */
    @Override
    public boolean keepsActivations() {
        return false;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor bx = beta == 1 ? x : x.mul(beta);
        // The smooth branch sees min(beta x, threshold), so the unselected side stays finite.
        Tensor smooth = bx.clamp(Double.NaN, threshold).softplus();
        if (beta != 1) smooth = smooth.div(beta);
        return Tensor.where(bx.gt(threshold), x, smooth);
    }

    public double beta() { return beta; }

    /** Above this, beta x is returned as x (PyTorch's linear region). */
    public double threshold() { return threshold; }

    @Override
    protected String extraRepr() {
        return "beta=" + beta + ", threshold=" + threshold;
    }
}
