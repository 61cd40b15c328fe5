package dev.descent.nn;

import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import java.util.Arrays;

/**
 * Learned absolute positions (as in GPT-2): a parameter {@code weight [maxLen, D]} whose first
 * T rows are added to an input {@code [B, T, D]} (broadcast over the batch),
 * {@code y[b, t] = x[b, t] + weight[t]}. Initialized N(0, 0.02^2), GPT-2's choice, so that the
 * positions start as a small perturbation of the token embeddings.
 */
public final class PositionalEmbedding extends Module {
    private final int maxLen;
    private final int dim;

    private PositionalEmbedding(int maxLen, int dim, Generator gen) {
        if (maxLen <= 0 || dim <= 0) throw new IllegalArgumentException("PositionalEmbedding: sizes must be positive, got " + maxLen + " x " + dim);
        this.maxLen = maxLen;
        this.dim = dim;
        Init.normal(registerParameter("weight", Tensor.zeros(maxLen, dim)), 0, 0.02, gen);
    }

    public static PositionalEmbedding of(int maxLen, int dim, Generator gen) {
        return new PositionalEmbedding(maxLen, dim, gen);
    }

    public int maxLen() {
        return maxLen;
    }

    @Override
    public boolean keepsActivations() {
        return false;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 3 || x.size(2) != dim || x.size(1) > maxLen) {
            throw new IllegalArgumentException("PositionalEmbedding(" + maxLen + ", " + dim + "): input of shape " + Arrays.toString(x.shape())
                    + " is not [batch, time <= " + maxLen + ", " + dim + "]");
        }
        return x.add(parameter("weight").narrow(0, 0, x.size(1)));
    }

    @Override
    protected String extraRepr() {
        return maxLen + ", " + dim;
    }
}
