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
 *
 * <p>{@code paddingIdx} (PyTorch's {@code padding_idx}; -1 for none): that row starts at zero and
 * never receives a gradient, so padding positions stay a fixed vector (it is looked up as it is,
 * also when loaded weights made it nonzero). {@code maxNorm} (PyTorch's {@code max_norm}; NaN
 * for none): before each lookup, every row the input refers to whose Euclidean norm exceeds it
 * is rescaled in place to {@code maxNorm / (norm + 1e-7)} times itself, as PyTorch's
 * {@code embedding_renorm_}; this changes the weight outside autograd, as in PyTorch.
 */
public final class Embedding extends Module {
    private final int numEmbeddings;
    private final int embeddingDim;
    private final int paddingIdx;
    private final double maxNorm;

    private Embedding(int numEmbeddings, int embeddingDim, int paddingIdx, double maxNorm, Generator gen) {
        if (numEmbeddings <= 0 || embeddingDim <= 0) {
            throw new IllegalArgumentException("Embedding: sizes must be positive, got " + numEmbeddings + " x " + embeddingDim);
        }
        if (paddingIdx < -1 || paddingIdx >= numEmbeddings) {
            throw new IllegalArgumentException("Embedding: padding_idx " + paddingIdx + " is not in [0, " + numEmbeddings + ") (or -1 for none)");
        }
        if (!Double.isNaN(maxNorm) && !(maxNorm > 0)) throw new IllegalArgumentException("Embedding: max_norm must be positive, got " + maxNorm);
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.paddingIdx = paddingIdx;
        this.maxNorm = maxNorm;
        Tensor w = registerParameter("weight", Tensor.zeros(numEmbeddings, embeddingDim));
        Init.normal(w, 0, 1, gen);
        if (paddingIdx >= 0) java.util.Arrays.fill(w.data(), paddingIdx * embeddingDim, (paddingIdx + 1) * embeddingDim, 0f);
    }

    /** A table of {@code numEmbeddings} vectors of size {@code embeddingDim}, drawn from N(0, 1). */
    public static Embedding of(int numEmbeddings, int embeddingDim, Generator gen) {
        return new Embedding(numEmbeddings, embeddingDim, -1, Double.NaN, gen);
    }

    /**
     * A table with a padding row ({@code paddingIdx}, -1 for none) and a norm bound
     * ({@code maxNorm}, NaN for none), as PyTorch's {@code nn.Embedding(n, d, padding_idx, max_norm)}.
     */
    public static Embedding of(int numEmbeddings, int embeddingDim, int paddingIdx, double maxNorm, Generator gen) {
        return new Embedding(numEmbeddings, embeddingDim, paddingIdx, maxNorm, gen);
    }

    public int numEmbeddings() {
        return numEmbeddings;
    }

    /** The norm bound of looked-up rows (PyTorch's max_norm), NaN for none. */
    public double maxNorm() {
        return maxNorm;
    }

    public int embeddingDim() {
        return embeddingDim;
    }

    /** The table {@code [numEmbeddings, embeddingDim]}. */
    public Tensor weight() {
        return parameter("weight");
    }

    /**
     * A copy of the table with every row rescaled as a lookup would rescale it under
     * {@code maxNorm} (unchanged without one): what any lookup reads, since a row is renormalized
     * before it is read and a renormalized row's norm is below the bound. A plain table lookup of
     * this copy (ONNX's Gather, say) gives this module's outputs.
     */
    public Tensor lookupTable() {
        float[] w = weight().toFloatArray();
        if (!Double.isNaN(maxNorm)) for (int i = 0; i < numEmbeddings; i++) renormRow(w, i);
        return Tensor.of(w, numEmbeddings, embeddingDim);
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
        if (!Double.isNaN(maxNorm)) renorm(index);
        Tensor rows = weight().indexSelect(0, index);
        if (paddingIdx >= 0 && Arrays.stream(index).anyMatch(i -> i == paddingIdx)) rows = withoutPaddingGradient(rows, index);
        return rows.reshape(outShape);
    }

    /** The same rows, with the padding positions' rows taken from a detached copy: no gradient reaches that row. */
    private Tensor withoutPaddingGradient(Tensor rows, int[] index) {
        float[] keep = new float[index.length];
        for (int i = 0; i < index.length; i++) keep[i] = index[i] == paddingIdx ? 0f : 1f;
        Tensor k = Tensor.of(keep, index.length, 1);
        Tensor fixed = weight().detach().indexSelect(0, index);
        return rows.mul(k).add(fixed.mul(k.neg().add(1)));
    }

    /** PyTorch's embedding_renorm_: rows referred to with a norm above maxNorm scaled to maxNorm / (norm + 1e-7) of themselves. */
    private void renorm(int[] index) {
        float[] w = weight().data();
        boolean[] done = new boolean[numEmbeddings];
        for (int i : index) {
            if (done[i]) continue;
            done[i] = true;
            renormRow(w, i);
        }
    }

    private void renormRow(float[] w, int i) {
        double sq = 0;
        for (int c = 0; c < embeddingDim; c++) sq += (double) w[i * embeddingDim + c] * w[i * embeddingDim + c];
        double norm = Math.sqrt(sq);
        if (norm > maxNorm) {
            float scale = (float) (maxNorm / (norm + 1e-7));
            for (int c = 0; c < embeddingDim; c++) w[i * embeddingDim + c] *= scale;
        }
    }

    @Override
    protected String extraRepr() {
        return numEmbeddings + ", " + embeddingDim + (paddingIdx >= 0 ? ", padding_idx=" + paddingIdx : "")
                + (Double.isNaN(maxNorm) ? "" : ", max_norm=" + maxNorm);
    }
}
