package dev.descent.nn;

import dev.descent.tensor.Tensor;

/**
 * Merges dimensions {@code startDim} to the last into one, as PyTorch's {@code nn.Flatten}
 * (default {@code start_dim=1}: {@code [N, C, H, W] -> [N, C*H*W]}, keeping the batch dimension).
 */
public final class Flatten extends Module {
    private final int startDim;

    private Flatten(int startDim) {
        this.startDim = startDim;
    }

    /** Flattens everything but the first (batch) dimension. */
    public static Flatten of() {
        return new Flatten(1);
    }

    /** Flattens dimensions {@code startDim} (negative counts from the end) to the last. */
    public static Flatten of(int startDim) {
        return new Flatten(startDim);
    }

    /** Keeps nothing of its input or output outside the recorded graph. */
    @Override
    public boolean keepsActivations() {
        return false;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.flatten(startDim);
    }

    /** The first dimension flattened (counting the batch dimension as 0). */
    public int startDim() { return startDim; }

    @Override
    protected String extraRepr() {
        return "start_dim=" + startDim;
    }
}
