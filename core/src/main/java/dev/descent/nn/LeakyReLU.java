package dev.descent.nn;

import dev.descent.tensor.Tensor;

/**
 * Leaky rectifier (Maas, Hannun and Ng, "Rectifier Nonlinearities Improve Neural Network Acoustic
 * Models", 2013), as PyTorch's {@code nn.LeakyReLU}: {@code x} for {@code x > 0}, otherwise
 * {@code negativeSlope * x} (default slope 0.01).
 */
public final class LeakyReLU extends Module {
    private final double negativeSlope;

    LeakyReLU(double negativeSlope) {
        this.negativeSlope = negativeSlope;
    }

    public double negativeSlope() {
        return negativeSlope;
    }

    /** Keeps nothing of its input or output outside the recorded graph. */
    @Override
    public boolean keepsActivations() {
        return false;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Tensor.where(x.gt(0), x, x.mul(negativeSlope));
    }

    @Override
    protected String extraRepr() {
        return "negative_slope=" + negativeSlope;
    }
}
