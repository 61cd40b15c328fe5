package dev.descent.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.descent.nn.Activations;
import dev.descent.nn.MaxPool2d;
import dev.descent.nn.Sequential;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ArgumentsSource;

/** The fused ReLU + max pool gives the bits of relu() then maxPool2d(), values and gradients. */
@ExtendWith(GlobalSettings.class)
class ReluMaxPoolTest {
    private static final int[] K2 = {2, 2}, NO_PAD = {0, 0};

    /**
     * Values drawn from a few levels, so windows hold ties, both zeros, negatives only, NaNs and
     * infinities, where a fused loop could pick another arg-max or another zero than the pair.
     */
    private static Tensor awkward(SplittableRandom rnd, int... shape) {
        float[] levels = {-2f, -0f, 0f, 0.5f, 0.5f, 1f, 3f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        float[] v = new float[Shapes.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = rnd.nextInt(4) == 0 ? levels[rnd.nextInt(levels.length)] : (float) rnd.nextGaussian();
        return Tensor.of(v, shape);
    }

    private static void assertSameBits(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), what + " at " + i);
        }
    }

    @ParameterizedTest
    @ArgumentsSource(KernelMatrix.class)
    void fusedMatchesTheTwoOperationsBitForBit(boolean vectorized, int threads) {
        try (var cell = GlobalSettings.scoped(threads, vectorized)) {
            SplittableRandom rnd = new SplittableRandom(7);
            for (int[] shape : new int[][] {{2, 3, 6, 6}, {3, 2, 7, 9}, {1, 1, 2, 2}, {4, 5, 13, 11}}) {
                Tensor x = awkward(rnd, shape);
                Tensor g = awkward(rnd, shape[0], shape[1], shape[2] / 2, shape[3] / 2);
                Tensor a = x.detach().requireGrad(), b = x.detach().requireGrad();
                Tensor pair = a.relu().maxPool2d(K2, K2, NO_PAD);
                Tensor fused = b.reluMaxPool2d(K2, K2, NO_PAD);
                assertSameBits(pair.toFloatArray(), fused.toFloatArray(), "value " + java.util.Arrays.toString(shape));
                pair.backward(g);
                fused.backward(g);
                assertSameBits(a.grad().toFloatArray(), b.grad().toFloatArray(), "gradient " + java.util.Arrays.toString(shape));
            }
        }
    }

    @Test
    void theFusedGradientOverwritesARecycledArrayCompletely() {
        // Odd height and width: the last row and column belong to no window and must come out 0.
        int[] shape = {3, 8, 17, 15};
        SplittableRandom rnd = new SplittableRandom(10);
        Tensor x = awkward(rnd, shape);
        Tensor g = awkward(rnd, 3, 8, 8, 7);
        Tensor a = x.detach().requireGrad(), b = x.detach().requireGrad();
        a.relu().maxPool2d(K2, K2, NO_PAD).backward(g);
        StoragePool.clear();
        float[] poison = new float[Shapes.numel(shape)];
        java.util.Arrays.fill(poison, Float.NaN);
        StoragePool.give(poison);
        b.reluMaxPool2d(K2, K2, NO_PAD).backward(g);
        assertEquals(true, b.grad().f == poison, "the gradient reused the poisoned array");
        assertSameBits(a.grad().toFloatArray(), b.grad().toFloatArray(), "gradient over a dirty array");
        StoragePool.clear();
    }

    @Test
    void otherGeometriesAndFloat64RunTheTwoOperations() {
        SplittableRandom rnd = new SplittableRandom(8);
        Tensor x = awkward(rnd, 2, 2, 7, 7);
        int[] k3 = {3, 3}, s2 = {2, 2}, p1 = {1, 1};
        assertSameBits(x.relu().maxPool2d(k3, s2, p1).toFloatArray(), x.reluMaxPool2d(k3, s2, p1).toFloatArray(), "3x3 stride 2 pad 1");
        Tensor d = Tensor.randn(Generator.seeded(2), 2, 2, 6, 6).toF64();
        double[] pair = d.relu().maxPool2d(K2, K2, NO_PAD).toDoubleArray(), fused = d.reluMaxPool2d(K2, K2, NO_PAD).toDoubleArray();
        for (int i = 0; i < pair.length; i++) assertEquals(Double.doubleToRawLongBits(pair[i]), Double.doubleToRawLongBits(fused[i]));
    }

    @Test
    void sequentialFusesReluIntoTheFollowingPool() {
        SplittableRandom rnd = new SplittableRandom(9);
        Tensor x = awkward(rnd, 3, 4, 10, 10);
        Tensor g = awkward(rnd, 3, 4, 5, 5);
        Tensor a = x.detach().requireGrad(), b = x.detach().requireGrad();
        Tensor viaSequential = Sequential.of(Activations.relu(), MaxPool2d.of(2)).forward(a);
        Tensor byHand = MaxPool2d.of(2).forward(Activations.relu().forward(b));
        assertSameBits(byHand.toFloatArray(), viaSequential.toFloatArray(), "value");
        viaSequential.backward(g);
        byHand.backward(g);
        assertSameBits(b.grad().toFloatArray(), a.grad().toFloatArray(), "gradient");
    }
}
