package dev.descent.nn;

import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import java.util.Arrays;

/**
 * A lookup table, as PyTorch's {@code nn.Embedding}: row {@code i} of {@code weight
 * [numEmbeddings, embeddingDim]} is the vector of token {@code i}. The input holds whole-number
 * indices in a float tensor of any shape {@code S} (Descent has no integer type); the output has
 * shape {@code S + [embeddingDim]}. The lookup is {@link Tensor#indexSelect}, so the gradient of a
 * row is the sum of the output gradients at every position that selected it. Initialized N(0, 1),
 * as PyTorch does.
 */
public final class Embedding extends Module {
    private final int numEmbeddings;
    private final int embeddingDim;

    private Embedding(int numEmbeddings, int embeddingDim, Generator gen) {
        if (numEmbeddings <= 0 || embeddingDim <= 0) {
            throw new IllegalArgumentException("Embedding: sizes must be positive, got " + numEmbeddings + " x " + embeddingDim);
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        Init.normal(registerParameter("weight", Tensor.zeros(numEmbeddings, embeddingDim)), 0, 1, gen);
    }

    /** A table of {@code numEmbeddings} vectors of size {@code embeddingDim}, drawn from N(0, 1). */
    public static Embedding of(int numEmbeddings, int embeddingDim, Generator gen) {
        return new Embedding(numEmbeddings, embeddingDim, gen);
    }

    /** The table {@code [numEmbeddings, embeddingDim]}. */
    public Tensor weight() {
        return parameter("weight");
    }

    /** Keeps nothing of its input or output outside the recorded graph. */
    @Override
    public boolean keepsActivations() {
        return false;
    }

    @Override
    public Tensor forward(Tensor indices) {
        double[] v = indices.toDoubleArray();
        int[] index = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] != Math.rint(v[i]) || v[i] < 0 || v[i] >= numEmbeddings) {
                throw new IllegalArgumentException("Embedding(" + numEmbeddings + ", " + embeddingDim + "): index " + v[i] + " at position " + i
                        + " is not a whole number in [0, " + numEmbeddings + ")");
            }
            index[i] = (int) v[i];
        }
        int[] outShape = Arrays.copyOf(indices.shape(), indices.dim() + 1);
        outShape[indices.dim()] = embeddingDim;
        return weight().indexSelect(0, index).reshape(outShape);
    }

    @Override
    protected String extraRepr() {
        return numEmbeddings + ", " + embeddingDim;
    }
}
