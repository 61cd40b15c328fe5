package dev.descent.nn;

import dev.descent.tensor.Tensor;
import java.util.Arrays;

/**
 * Batch normalization of {@code [N, C, H, W]} inputs, as PyTorch's {@code nn.BatchNorm2d}:
 * statistics per channel {@code C} over the batch and both spatial dimensions. See
 * {@link BatchNorm} for the formula, the modes and the running statistics.
 */
public final class BatchNorm2d extends BatchNorm {
    private BatchNorm2d(int numFeatures, Options options) {
        super(numFeatures, options);
    }

    /** PyTorch's defaults: eps 1e-5, momentum 0.1, affine, tracking running statistics. */
    public static BatchNorm2d of(int numFeatures) {
        return new BatchNorm2d(numFeatures, Options.DEFAULT);
    }

    public static BatchNorm2d of(int numFeatures, Options options) {
        return new BatchNorm2d(numFeatures, options);
    }

    @Override
    void checkInput(Tensor input) {
        if (input.dim() != 4 || input.size(1) != numFeatures()) {
            throw new IllegalArgumentException("BatchNorm2d(" + numFeatures() + "): expected input [N, " + numFeatures()
                    + ", H, W], got " + Arrays.toString(input.shape()));
        }
    }
}
