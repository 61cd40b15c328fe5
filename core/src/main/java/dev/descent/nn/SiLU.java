package dev.descent.nn;

import dev.descent.tensor.Tensor;

/**
 * Sigmoid-weighted linear unit, also called swish (Elfwing, Uchibe and Doya, "Sigmoid-Weighted
 * Linear Units for Neural Network Function Approximation in Reinforcement Learning", Neural
 * Networks 2018): {@code silu(x) = x * sigmoid(x)}.
 */
public final class SiLU extends Module {
    /** Keeps nothing of its input or output outside the recorded graph. */
    @Override
    public boolean keepsActivations() {
        return false;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.mul(x.sigmoid());
    }
}
