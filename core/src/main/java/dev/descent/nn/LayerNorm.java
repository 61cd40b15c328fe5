package dev.descent.nn;

import dev.descent.tensor.Tensor;
import java.util.Arrays;

/**
 * Layer normalization (Ba, Kiros and Hinton, "Layer Normalization", 2016), as PyTorch's
 * {@code nn.LayerNorm}: each sample is normalized over its last {@code k} dimensions, those of
 * {@code normalizedShape}, with the biased variance, then scaled and shifted elementwise:
 *
 * <pre>
 * y = (x - mean) / sqrt(var + eps) * weight + bias     (mean, var over the last k dimensions)
 * </pre>
 *
 * {@code weight} (ones) and {@code bias} (zeros) have shape {@code normalizedShape} and exist
 * when {@code elementwiseAffine}. Unlike batch norm, the statistics belong to one sample, so
 * training and evaluation behave the same and there are no buffers.
 */
public final class LayerNorm extends Module {
    private final int[] normalizedShape;
    private final double eps;
    private final boolean affine;

    private LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
        if (normalizedShape.length == 0 || Arrays.stream(normalizedShape).anyMatch(s -> s <= 0)) {
            throw new IllegalArgumentException("LayerNorm: normalized_shape must be non-empty and positive, got " + Arrays.toString(normalizedShape));
        }
        if (!(eps > 0)) throw new IllegalArgumentException("LayerNorm: eps must be positive, got " + eps);
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.affine = elementwiseAffine;
        if (affine) {
            registerParameter("weight", Tensor.ones(normalizedShape));
            registerParameter("bias", Tensor.zeros(normalizedShape));
        }
    }

    /** Normalizes over the trailing dimensions {@code normalizedShape}; eps 1e-5, with weight and bias. */
    public static LayerNorm of(int... normalizedShape) {
        return new LayerNorm(normalizedShape, 1e-5, true);
    }

    public static LayerNorm of(int[] normalizedShape, double eps, boolean elementwiseAffine) {
        return new LayerNorm(normalizedShape, eps, elementwiseAffine);
    }

    /** Keeps nothing of its input or output outside the recorded graph. */
    @Override
    public boolean keepsActivations() {
        return false;
    }

    @Override
    public Tensor forward(Tensor input) {
        return layerNorm(input, normalizedShape, affine ? parameter("weight") : null, affine ? parameter("bias") : null, eps);
    }

    /**
     * Layer normalization as a function, like {@code torch.nn.functional.layer_norm}; {@code weight}
     * and {@code bias} (shape {@code normalizedShape}) may be null. Float32 or float64.
     */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        int k = normalizedShape.length;
        int[] shape = x.shape();
        if (shape.length < k || !Arrays.equals(Arrays.copyOfRange(shape, shape.length - k, shape.length), normalizedShape)) {
            throw new IllegalArgumentException("LayerNorm" + Arrays.toString(normalizedShape) + ": input of shape " + Arrays.toString(shape)
                    + " does not end in " + Arrays.toString(normalizedShape));
        }
        int n = 1;
        for (int d : normalizedShape) n *= d;
        return x.layerNorm(n, weight, bias, eps);
    }

    /** The trailing dimensions normalized over. */
    public int[] normalizedShape() { return normalizedShape.clone(); }

    public double eps() { return eps; }

    /** Whether it has a learned weight and bias. */
    public boolean elementwiseAffine() { return affine; }

    @Override
    protected String extraRepr() {
        return Arrays.toString(normalizedShape) + ", eps=" + eps + ", elementwise_affine=" + affine;
    }
}
