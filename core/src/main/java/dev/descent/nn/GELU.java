package dev.descent.nn;

import dev.descent.tensor.Tensor;

/**
 * Gaussian error linear unit (Hendrycks and Gimpel, "Gaussian Error Linear Units (GELUs)", 2016):
 * {@code x * Phi(x)} with {@code Phi} the standard normal distribution function, as PyTorch's
 * {@code nn.GELU}:
 *
 * <pre>
 * exact:  gelu(x) = x / 2 * (1 + erf(x / sqrt(2)))
 * tanh:   gelu(x) = x / 2 * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 x^3)))   (approximate="tanh")
 * </pre>
 */
public final class GELU extends Module {
    /** Which formula: the exact one with erf, or the tanh approximation of the paper. */
    public enum Approximation { NONE, TANH }

    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    private final Approximation approximation;

    GELU(Approximation approximation) {
        this.approximation = approximation;
    }

    public Approximation approximation() {
        return approximation;
    }

    /** Keeps nothing of its input or output outside the recorded graph. */
    @Override
    public boolean keepsActivations() {
        return false;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (approximation == Approximation.NONE) return x.gelu();
        Tensor inner = x.add(x.mul(x).mul(x).mul(0.044715)).mul(SQRT_2_OVER_PI).tanh();
        return x.mul(0.5).mul(inner.add(1));
    }

    @Override
    protected String extraRepr() {
        return approximation == Approximation.NONE ? "" : "approximate='tanh'";
    }
}
