package dev.descent.nn;

import dev.descent.tensor.GradCheck;
import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Finite-difference checks (float64, {@link GradCheck}'s tolerances) of the normalization layers'
 * compositions: modules hold float32 parameters, so the checks run the same functional forms the
 * modules call, with float64 input, weight and bias. Training-mode batch norm is the hard case:
 * the gradient flows through the batch mean and variance, which couple every element of a channel.
 */
class NormalizationGradientTest {
    private final Generator gen = Generator.seeded(31);

    @Test
    void layerNormOverTheLastDimension() {
        GradCheck.check("layer_norm [3,5] over [5]",
                in -> LayerNorm.layerNorm(in[0], new int[] {5}, in[1], in[2], 1e-5),
                GradCheck.randn(gen, 3, 5), GradCheck.randn(gen, 5), GradCheck.randn(gen, 5));
    }

    @Test
    void layerNormOverTwoDimensionsWithoutAffine() {
        GradCheck.check("layer_norm [2,3,4] over [3,4]",
                in -> LayerNorm.layerNorm(in[0], new int[] {3, 4}, null, null, 1e-5), GradCheck.randn(gen, 2, 3, 4));
    }

    @Test
    void batchNormTrainingOnNC() {
        GradCheck.check("batch_norm train [6,3]",
                in -> BatchNorm.batchNorm(in[0], null, null, in[1], in[2], true, 0.1, 1e-5),
                GradCheck.randn(gen, 6, 3), GradCheck.randn(gen, 3), GradCheck.randn(gen, 3));
    }

    @Test
    void batchNormTrainingOnNCHW() {
        GradCheck.check("batch_norm train [3,2,2,3]",
                in -> BatchNorm.batchNorm(in[0], null, null, in[1], in[2], true, 0.1, 1e-5),
                GradCheck.randn(gen, 3, 2, 2, 3), GradCheck.randn(gen, 2), GradCheck.randn(gen, 2));
    }

    @Test
    void batchNormEvalWithRunningStatistics() {
        Tensor runningMean = GradCheck.randn(gen, 3), runningVar = GradCheck.uniform(gen, 0.5, 2, 3);
        GradCheck.check("batch_norm eval [4,3,2]",
                in -> BatchNorm.batchNorm(in[0], runningMean, runningVar, in[1], in[2], false, 0.1, 1e-5),
                GradCheck.randn(gen, 4, 3, 2), GradCheck.randn(gen, 3), GradCheck.randn(gen, 3));
    }
}
