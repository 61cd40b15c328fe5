package dev.descent.nn;

/**
 * Factories for the activation modules, each with PyTorch's defaults. Activations have no
 * parameters, so they add no state dict keys (in a {@link Sequential} they still take an index).
 * They are built from Tensor's differentiable operations, so they work on float32 and float64.
 */
public final class Activations {
    private Activations() {}

    /** {@code max(0, x)}. */
    public static ReLU relu() { return new ReLU(); }

    /** {@code x > 0 ? x : 0.01 x}. */
    public static LeakyReLU leakyRelu() { return new LeakyReLU(0.01); }

    /** {@code x > 0 ? x : negativeSlope * x}. */
    public static LeakyReLU leakyRelu(double negativeSlope) { return new LeakyReLU(negativeSlope); }

    /** {@code x > 0 ? x : exp(x) - 1}. */
    public static ELU elu() { return new ELU(1.0); }

    /** {@code x > 0 ? x : alpha (exp(x) - 1)}. */
    public static ELU elu(double alpha) { return new ELU(alpha); }

    /** Exact GELU, {@code x / 2 * (1 + erf(x / sqrt 2))}. */
    public static GELU gelu() { return new GELU(GELU.Approximation.NONE); }

    /** GELU's tanh approximation (PyTorch's {@code approximate="tanh"}). */
    public static GELU geluTanh() { return new GELU(GELU.Approximation.TANH); }

    /** {@code x * sigmoid(x)}. */
    public static SiLU silu() { return new SiLU(); }

    /** {@code log(1 + exp(x))}, linear above 20. */
    public static Softplus softplus() { return new Softplus(1, 20); }

    /** {@code log(1 + exp(beta x)) / beta}, linear where {@code beta x > threshold}. */
    public static Softplus softplus(double beta, double threshold) { return new Softplus(beta, threshold); }

    public static Tanh tanh() { return new Tanh(); }

    public static Sigmoid sigmoid() { return new Sigmoid(); }

    /** Softmax along {@code dim} (no default, as PyTorch recommends: say which dimension). */
    public static Softmax softmax(int dim) { return new Softmax(dim); }

    /** Log-softmax along {@code dim}. */
    public static LogSoftmax logSoftmax(int dim) { return new LogSoftmax(dim); }
}
