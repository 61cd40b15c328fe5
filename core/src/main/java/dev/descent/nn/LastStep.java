package dev.descent.nn;

import dev.descent.tensor.Tensor;
import java.util.Arrays;

/**
 * The last position of a sequence, {@code [B, T, F] -> [B, F]} ({@code x[:, -1, :]}): turns a
 * recurrent or causal model's output into one vector per sequence, for classification.
 */
public final class LastStep extends Module {
    @Override
    public boolean keepsActivations() {
        return false;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 3) throw new IllegalArgumentException("last_step: needs [batch, time, features], got " + Arrays.toString(x.shape()));
        return x.narrow(1, x.size(1) - 1, 1).squeeze(1);
    }
}
