package dev.descent.nn;

import dev.descent.tensor.Tensor;

/** Rectified linear unit, {@code relu(x) = max(0, x)}; gradient 1 for x > 0 and 0 otherwise (0 at x = 0, as PyTorch). */
public final class ReLU extends Module {
    /** Keeps nothing of its input or output outside the recorded graph. */
    @Override
    public boolean keepsActivations() {
        return false;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.relu();
    }
}
