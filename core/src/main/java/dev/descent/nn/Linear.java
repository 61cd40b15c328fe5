package dev.descent.nn;

import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;

/**
 * Affine map of the last dimension, as PyTorch's {@code nn.Linear}: {@code y = x W^T + b} for
 * input {@code [..., in]} and output {@code [..., out]}, with parameters {@code weight [out, in]}
 * and {@code bias [out]} (optional).
 *
 * <p>Initialization is PyTorch's default ({@link Init#pytorchDefault}): weight and bias uniform on
 * {@code [-1/sqrt(in), 1/sqrt(in)]}, weight first, from the given generator.
 */
public final class Linear extends Module {
    private final int inFeatures;
    private final int outFeatures;
    private final boolean bias;

    private Linear(int inFeatures, int outFeatures, boolean bias, Generator gen) {
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("Linear: in and out features must be positive, got " + inFeatures + " and " + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.bias = bias;
        Tensor w = registerParameter("weight", Tensor.zeros(outFeatures, inFeatures));
        Tensor b = bias ? registerParameter("bias", Tensor.zeros(outFeatures)) : null;
        Init.pytorchDefault(w, b, gen);
    }

    /** A linear layer with bias, initialized as PyTorch does. */
    public static Linear of(int inFeatures, int outFeatures, Generator gen) {
        return new Linear(inFeatures, outFeatures, true, gen);
    }

    /** A linear layer, with or without bias, initialized as PyTorch does. */
    public static Linear of(int inFeatures, int outFeatures, boolean bias, Generator gen) {
        return new Linear(inFeatures, outFeatures, bias, gen);
    }

    public int inFeatures() { return inFeatures; }

    public int outFeatures() { return outFeatures; }

    /** The weight {@code [out, in]}. */
    public Tensor weight() { return parameter("weight"); }

    /** The bias {@code [out]}, or null when the layer has none. */
    public Tensor bias() { return bias ? parameter("bias") : null; }

    /** Keeps nothing of its input or output outside the recorded graph. */
    @Override
    public boolean keepsActivations() {
        return false;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() == 0 || input.size(-1) != inFeatures) {
            throw new IllegalArgumentException("Linear(" + inFeatures + " -> " + outFeatures + "): input of shape "
                    + java.util.Arrays.toString(input.shape()) + " does not end in " + inFeatures);
        }
        boolean vector = input.dim() == 1;
        Tensor x = vector ? input.unsqueeze(0) : input;
        Tensor y = x.linear(weight(), bias ? bias() : null);
        return vector ? y.squeeze(0) : y;
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + bias;
    }
}
