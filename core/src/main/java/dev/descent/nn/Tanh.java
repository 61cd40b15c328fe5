package dev.descent.nn;

import dev.descent.tensor.Tensor;

/** Hyperbolic tangent, {@code tanh(x) = (e^x - e^-x) / (e^x + e^-x)}; gradient {@code 1 - tanh(x)^2}. */
public final class Tanh extends Module {
    /** Keeps nothing of its input or output outside the recorded graph. */
    @Override
    public boolean keepsActivations() {
        return false;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.tanh();
    }
}
