package dev.descent.nn;

import dev.descent.tensor.Tensor;

/**
 * {@code logSoftmax(x)_i = x_i - log(sum_j exp(x_j))} along {@code dim}, as PyTorch's
 * {@code nn.LogSoftmax(dim)}; computed stably rather than as the log of a softmax.
 */
public final class LogSoftmax extends Module {
    private final int dim;

    LogSoftmax(int dim) {
        this.dim = dim;
    }

    /** Keeps nothing of its input or output outside the recorded graph. */
    @Override
    public boolean keepsActivations() {
        return false;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.logSoftmax(dim);
    }

    public int dim() { return dim; }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
