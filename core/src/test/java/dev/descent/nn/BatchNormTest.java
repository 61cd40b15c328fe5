package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Batch norm's two modes and its running statistics, checked against statistics computed here in
 * double precision. Float32 results agree with those to a few ulps of O(1) values, hence 1e-5.
 */
class BatchNormTest {
    private static final double TOL = 1e-5;

    /** [N, C] input with per-channel offsets, so that channels have different statistics. */
    private static Tensor input(Generator gen, int n, int c) {
        float[] v = Tensor.randn(gen, n, c).toFloatArray();
        for (int i = 0; i < v.length; i++) v[i] = v[i] * (1 + i % c) + 3 * (i % c);
        return Tensor.of(v, n, c);
    }

    private static double[][] columnStats(Tensor x) {
        int n = x.size(0), c = x.size(1);
        double[] v = x.toDoubleArray(), mean = new double[c], biased = new double[c];
        for (int i = 0; i < n; i++) for (int j = 0; j < c; j++) mean[j] += v[i * c + j] / n;
        for (int i = 0; i < n; i++) for (int j = 0; j < c; j++) biased[j] += Math.pow(v[i * c + j] - mean[j], 2) / n;
        return new double[][] {mean, biased};
    }

    @Test
    void trainingNormalizesWithBatchStatisticsAndUpdatesRunningOnes() {
        Generator gen = Generator.seeded(11);
        BatchNorm1d bn = BatchNorm1d.of(3, BatchNorm.Options.DEFAULT.withMomentum(0.25));
        Tensor x = input(gen, 10, 3);
        double[][] s = columnStats(x);
        Tensor y = bn.forward(x);
        double[][] ys = columnStats(y);
        for (int j = 0; j < 3; j++) {
            assertEquals(0, ys[0][j], TOL, "output mean of channel " + j);
            // biased variance of the output is var / (var + eps)
            assertEquals(s[1][j] / (s[1][j] + 1e-5), ys[1][j], TOL, "output variance of channel " + j);
        }
        float[] rm = bn.namedBuffers().get("running_mean").toFloatArray(), rv = bn.namedBuffers().get("running_var").toFloatArray();
        for (int j = 0; j < 3; j++) {
            assertEquals(0.75 * 0 + 0.25 * s[0][j], rm[j], TOL * Math.max(1, Math.abs(rm[j])), "running_mean " + j);
            // the running variance takes the UNBIASED batch variance: biased * n / (n - 1)
            assertEquals(0.75 * 1 + 0.25 * s[1][j] * 10 / 9, rv[j], TOL * Math.max(1, rv[j]), "running_var " + j);
        }
        assertEquals(1.0, bn.namedBuffers().get("num_batches_tracked").item());
        bn.forward(x);
        assertEquals(2.0, bn.namedBuffers().get("num_batches_tracked").item());
    }

    @Test
    void evalUsesRunningStatisticsAndUpdatesNothing() {
        BatchNorm1d bn = BatchNorm1d.of(2);
        bn.loadStateDict(java.util.Map.of("running_mean", Tensor.vector(1, -2), "running_var", Tensor.vector(4, 0.25f),
                "weight", Tensor.vector(2, 1), "bias", Tensor.vector(0, 10)), false);
        bn.eval();
        Tensor y = bn.forward(Tensor.of(new float[] {3, -2, 1, -1}, 2, 2));
        double s0 = Math.sqrt(4 + 1e-5), s1 = Math.sqrt(0.25 + 1e-5);
        assertArrayEquals(new float[] {(float) (2 * 2 / s0), 10f, 0f, (float) (10 + 1 / s1)}, y.toFloatArray(), 1e-5f);
        assertArrayEquals(new float[] {1, -2}, bn.namedBuffers().get("running_mean").toFloatArray());
        assertArrayEquals(new float[] {4, 0.25f}, bn.namedBuffers().get("running_var").toFloatArray());
        assertEquals(0.0, bn.namedBuffers().get("num_batches_tracked").item());
    }

    @Test
    void switchingModesThroughAParentChangesTheOutput() {
        Generator gen = Generator.seeded(12);
        Sequential m = Sequential.of(BatchNorm1d.of(3));
        Tensor x = input(gen, 8, 3);
        Tensor train = m.forward(x);
        m.eval();
        Tensor eval1 = m.forward(x), eval2 = m.forward(x);
        assertArrayEquals(eval1.toFloatArray(), eval2.toFloatArray(), "eval is deterministic and stateless");
        double maxDiff = 0;
        for (int i = 0; i < 24; i++) maxDiff = Math.max(maxDiff, Math.abs(train.toFloatArray()[i] - eval1.toFloatArray()[i]));
        assertTrue(maxDiff > 0.5, "after one batch the running statistics are far from the batch's, so outputs differ: " + maxDiff);
        m.train();
        m.forward(x);
        assertEquals(2.0, m.namedBuffers().get("0.num_batches_tracked").item(), "only the two training passes were counted");
    }

    @Test
    void cumulativeMomentumAveragesAllBatches() {
        Generator gen = Generator.seeded(13);
        BatchNorm1d bn = BatchNorm1d.of(2, BatchNorm.Options.DEFAULT.withMomentum(BatchNorm.Options.CUMULATIVE_AVERAGE));
        Tensor a = input(gen, 6, 2), b = input(gen, 6, 2), c = input(gen, 6, 2);
        bn.forward(a);
        bn.forward(b);
        bn.forward(c);
        double[] ma = columnStats(a)[0], mb = columnStats(b)[0], mc = columnStats(c)[0];
        float[] rm = bn.namedBuffers().get("running_mean").toFloatArray();
        for (int j = 0; j < 2; j++) assertEquals((ma[j] + mb[j] + mc[j]) / 3, rm[j], TOL * Math.max(1, Math.abs(rm[j])));
    }

    @Test
    void threeDimensionalInputPoolsOverBatchAndLength() {
        // [N, C, L] = [2, 2, 3]: channel 0 holds 0..5, channel 1 holds 10 (constant).
        float[] v = {0, 1, 2, 10, 10, 10, 3, 4, 5, 10, 10, 10};
        BatchNorm1d bn = BatchNorm1d.of(2, BatchNorm.Options.DEFAULT.withMomentum(1.0));
        Tensor y = bn.forward(Tensor.of(v, 2, 2, 3));
        assertArrayEquals(new float[] {2.5f, 10f}, bn.namedBuffers().get("running_mean").toFloatArray(), 1e-6f);
        // unbiased variance of 0..5 is 3.5; of a constant, 0
        assertArrayEquals(new float[] {3.5f, 0f}, bn.namedBuffers().get("running_var").toFloatArray(), 1e-6f);
        assertEquals((0 - 2.5) / Math.sqrt(35.0 / 12 + 1e-5), y.get(0, 0, 0), 1e-6);
        assertEquals(0, y.get(1, 1, 2), 0);
    }

    @Test
    void batchNorm2dUsesPerChannelStatisticsOverNHW() {
        Generator gen = Generator.seeded(14);
        BatchNorm2d bn = BatchNorm2d.of(2);
        Tensor x = Tensor.randn(gen, 3, 2, 4, 4).mul(3).add(1);
        Tensor y = bn.forward(x);
        Tensor mean = y.mean(new int[] {0, 2, 3}, false), var = y.var(new int[] {0, 2, 3}, 0, false);
        for (int ch = 0; ch < 2; ch++) {
            assertEquals(0, mean.get(ch), TOL);
            assertEquals(1, var.get(ch), 1e-5 + 2e-6, "biased variance var/(var+eps), var ~ 9");
        }
    }

    @Test
    void optionsWithoutAffineOrRunningStats() {
        BatchNorm1d plain = BatchNorm1d.of(3, new BatchNorm.Options(1e-5, 0.1, false, false));
        assertEquals(List.of(), List.copyOf(plain.stateDict().keySet()));
        plain.eval();
        Tensor y = plain.forward(input(Generator.seeded(15), 5, 3));
        assertEquals(0, y.mean(0, false).get(2), TOL, "without running statistics, batch statistics are used in eval too");
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm.Options(0, 0.1, true, true));
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm.Options(1e-5, 1.5, true, true));
    }

    @Test
    void errorsNameTheProblem() {
        BatchNorm1d bn = BatchNorm1d.of(4);
        var rank = assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.zeros(2, 4, 3, 3)));
        assertTrue(rank.getMessage().contains("[2, 4, 3, 3]"), rank.getMessage());
        var single = assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.zeros(1, 4)));
        assertTrue(single.getMessage().contains("more than 1 value per channel"), single.getMessage());
        assertEquals(0.0, bn.namedBuffers().get("num_batches_tracked").item(), "a failed pass counts nothing");
        assertThrows(IllegalArgumentException.class, () -> BatchNorm2d.of(3).forward(Tensor.zeros(2, 4, 2, 2)));
    }
}
