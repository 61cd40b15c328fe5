package dev.descent.nn;

import dev.descent.tensor.Tensor;

/** {@code softmax(x)_i = exp(x_i) / sum_j exp(x_j)} along {@code dim}, as PyTorch's {@code nn.Softmax(dim)}. */
public final class Softmax extends Module {
    private final int dim;

    Softmax(int dim) {
        this.dim = dim;
    }

    /** Keeps nothing of its input or output outside the recorded graph. */
    @Override
    public boolean keepsActivations() {
        return false;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.softmax(dim);
    }

    public int dim() { return dim; }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
