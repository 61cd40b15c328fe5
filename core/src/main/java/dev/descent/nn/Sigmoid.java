package dev.descent.nn;

import dev.descent.tensor.Tensor;

/** Logistic function, {@code sigmoid(x) = 1 / (1 + e^-x)}; gradient {@code s (1 - s)}. */
public final class Sigmoid extends Module {
    /** Keeps nothing of its input or output outside the recorded graph. */
    @Override
    public boolean keepsActivations() {
        return false;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.sigmoid();
    }
}
