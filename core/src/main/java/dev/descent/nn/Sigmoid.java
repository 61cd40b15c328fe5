package dev.descent.nn;

import dev.descent.tensor.Tensor;

/** Logistic function, {@code sigmoid(x) = 1 / (1 + e^-x)}; gradient {@code s (1 - s)}. */
public final class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input.sigmoid();
    }
}
