package dev.descent.nn;

import dev.descent.tensor.Tensor;
import java.util.Arrays;

/**
 * The mean over the positions of a sequence, {@code [B, T, F] -> [B, F]}
 * ({@code x.mean(dim=1)}): one vector per sequence for classification, every position counted
 * alike.
 */
public final class MeanPool extends Module {
    @Override
    public boolean keepsActivations() {
        return false;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 3) throw new IllegalArgumentException("mean_pool: needs [batch, time, features], got " + Arrays.toString(x.shape()));
        return x.mean(1, false);
    }
}
