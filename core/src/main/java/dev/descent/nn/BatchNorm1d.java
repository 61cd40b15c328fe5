package dev.descent.nn;

import dev.descent.tensor.Tensor;
import java.util.Arrays;

/**
 * Batch normalization of {@code [N, C]} or {@code [N, C, L]} inputs, as PyTorch's
 * {@code nn.BatchNorm1d}: statistics per feature {@code C} over the batch (and length)
 * dimensions. See {@link BatchNorm} for the formula, the modes and the running statistics.
 */
public final class BatchNorm1d extends BatchNorm {
    private BatchNorm1d(int numFeatures, Options options) {
        super(numFeatures, options);
    }

    /** PyTorch's defaults: eps 1e-5, momentum 0.1, affine, tracking running statistics. */
    public static BatchNorm1d of(int numFeatures) {
        return new BatchNorm1d(numFeatures, Options.DEFAULT);
    }

    public static BatchNorm1d of(int numFeatures, Options options) {
        return new BatchNorm1d(numFeatures, options);
    }

    @Override
    void checkInput(Tensor input) {
        if ((input.dim() != 2 && input.dim() != 3) || input.size(1) != numFeatures()) {
            throw new IllegalArgumentException("BatchNorm1d(" + numFeatures() + "): expected input [N, " + numFeatures() + "] or [N, "
                    + numFeatures() + ", L], got " + Arrays.toString(input.shape()));
        }
    }
}
