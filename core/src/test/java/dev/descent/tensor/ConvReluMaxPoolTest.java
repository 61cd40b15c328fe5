package dev.descent.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.descent.nn.Activations;
import dev.descent.nn.Conv2d;
import dev.descent.nn.MaxPool2d;
import dev.descent.nn.Module;
import dev.descent.nn.Sequential;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * The fused conv2d + ReLU + 2 x 2 max pool gives the bits of the three operations in sequence:
 * value and the gradients of input, weight and bias, on both of its backward variants (a shallow
 * convolution computes its output again, a deep one keeps it), in every cell of the
 * {@link KernelMatrix}.
 */
@ExtendWith(GlobalSettings.class)
class ConvReluMaxPoolTest {
    private static final int[] K2 = {2, 2}, NO_PAD = {0, 0}, ONE = {1, 1};

    /** One convolution: input and weight shapes, stride, padding, groups. */
    record Case(String name, int[] x, int[] w, int[] stride, int[] padding, int groups) {}

    private static final Case[] CASES = {
            // K = 9: the output is computed again in the backward pass (a CNN's first layer).
            new Case("first layer, recomputed", new int[] {5, 1, 12, 12}, new int[] {8, 1, 3, 3}, ONE, NO_PAD, 1),
            // K = 72 > 32: the output is kept; 11 x 11 output, so the pool drops a row and a column.
            new Case("deep, kept, odd output", new int[] {3, 8, 13, 13}, new int[] {6, 8, 3, 3}, ONE, NO_PAD, 1),
            // 64 outputs and K = 72: the weight gradient takes Gemm instead of RowDots.
            new Case("wide (Gemm weight gradient)", new int[] {2, 8, 9, 9}, new int[] {64, 8, 3, 3}, ONE, new int[] {1, 1}, 1),
            new Case("groups, stride, padding", new int[] {3, 4, 11, 10}, new int[] {6, 2, 3, 3}, new int[] {2, 1}, new int[] {1, 1}, 2),
    };

    private static Tensor randn(SplittableRandom rnd, int... shape) {
        float[] v = new float[Shapes.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian();
        return Tensor.of(v, shape);
    }

    private static void assertSameBits(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), what + " at " + i);
        }
    }

    /** {value, dx, dw, db} of the sequence (fused false) or the fused op, with 2-image weight-gradient chunks. */
    private static float[][] pass(Case c, Tensor x, Tensor w, Tensor b, Tensor g, boolean fused, boolean gradX) {
        Tensor xl = gradX ? x.detach().requireGrad() : x.detach(), wl = w.detach().requireGrad(), bl = b.detach().requireGrad();
        Tensor out = fused
                ? Convolution.conv2dReluMaxPool(xl, wl, bl, c.stride, c.padding, ONE, c.groups, K2, K2, NO_PAD, 2)
                : Convolution.conv2d(xl, wl, bl, c.stride, c.padding, ONE, c.groups, 2).relu().maxPool2d(K2, K2, NO_PAD);
        assertEquals(fused ? "conv2dReluMaxPool2d" : "maxPool2d", out.gradFnName(), c.name);
        out.backward(g);
        return new float[][] {out.toFloatArray(), gradX ? xl.grad().toFloatArray() : new float[0], wl.grad().toFloatArray(),
                bl.grad().toFloatArray()};
    }

    @ParameterizedTest
    @ArgumentsSource(KernelMatrix.class)
    void fusedMatchesTheThreeOperationsBitForBit(boolean vectorized, int threads) {
        SplittableRandom rnd = new SplittableRandom(21);
        String[] names = {"value", "input grad", "weight grad", "bias grad"};
        for (Case c : CASES) {
            Tensor x = randn(rnd, c.x), w = randn(rnd, c.w), b = randn(rnd, c.w[0]);
            int[] pooled = Convolution.conv2d(x, w, b, c.stride, c.padding, ONE, c.groups).maxPool2d(K2, K2, NO_PAD).shape();
            Tensor g = randn(rnd, pooled);
            float[][] reference = KernelMatrix.reference(() -> pass(c, x, w, b, g, true, true));
            KernelMatrix.in(vectorized, threads, () -> {
                for (boolean gradX : new boolean[] {true, false}) {
                    float[][] pair = pass(c, x, w, b, g, false, gradX), fused = pass(c, x, w, b, g, true, gradX);
                    String what = c.name + (vectorized ? ", vector" : ", scalar") + ", " + threads + " threads" + (gradX ? "" : ", no input grad");
                    for (int q = 0; q < 4; q++) assertSameBits(pair[q], fused[q], what + ": " + names[q]);
                    // Thread count and kernel mode change no bit either.
                    if (gradX) for (int q = 0; q < 4; q++) assertSameBits(reference[q], fused[q], what + " vs scalar on 1 thread: " + names[q]);
                }
                return null;
            });
        }
    }

    @Test
    void withoutGradientsTheValueIsTheSameAndNothingIsRecorded() {
        SplittableRandom rnd = new SplittableRandom(22);
        Case c = CASES[1];
        Tensor x = randn(rnd, c.x), w = randn(rnd, c.w).requireGrad(), b = randn(rnd, c.w[0]).requireGrad();
        float[] expected = Convolution.conv2d(x, w, b, ONE, NO_PAD, ONE, 1).relu().maxPool2d(K2, K2, NO_PAD).toFloatArray();
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            Tensor out = x.conv2dReluMaxPool2d(w, b, ONE, NO_PAD, ONE, 1, K2, K2, NO_PAD);
            assertSameBits(expected, out.toFloatArray(), "no-grad value");
            assertNull(out.gradFnName(), "nothing recorded under noGrad");
        }
    }

    @Test
    void otherPoolingGeometriesAndFloat64RunTheOperationsInSequence() {
        SplittableRandom rnd = new SplittableRandom(23);
        Tensor x = randn(rnd, 2, 3, 9, 9), w = randn(rnd, 4, 3, 3, 3).requireGrad(), b = randn(rnd, 4).requireGrad();
        int[] k3 = {3, 3}, s2 = {2, 2};
        Tensor composed = x.conv2d(w, b, ONE, NO_PAD, ONE, 1).relu().maxPool2d(k3, s2, ONE);
        Tensor fusedCall = x.conv2dReluMaxPool2d(w, b, ONE, NO_PAD, ONE, 1, k3, s2, ONE);
        assertSameBits(composed.toFloatArray(), fusedCall.toFloatArray(), "3x3 stride 2 pad 1");
        assertEquals("maxPool2d", fusedCall.gradFnName());
        Tensor x64 = x.toF64(), w64 = w.detach().toF64(), b64 = b.detach().toF64();
        double[] pair = x64.conv2d(w64, b64, ONE, NO_PAD, ONE, 1).relu().maxPool2d(K2, K2, NO_PAD).toDoubleArray();
        double[] fused = x64.conv2dReluMaxPool2d(w64, b64, ONE, NO_PAD, ONE, 1, K2, K2, NO_PAD).toDoubleArray();
        assertEquals(pair.length, fused.length);
        for (int i = 0; i < pair.length; i++) assertEquals(Double.doubleToRawLongBits(pair[i]), Double.doubleToRawLongBits(fused[i]), "f64 " + i);
    }

    /** Sequential runs Conv2d, ReLU, MaxPool2d(2) as the fused op, with the composition's results. */
    @Test
    void sequentialFusesTheBlock() {
        Generator gen = Generator.seeded(4);
        Module model = Sequential.of(Conv2d.of(1, 4, 3, gen), Activations.relu(), MaxPool2d.of(2));
        Conv2d conv = (Conv2d) ((Sequential) model).modules().get(0);
        Tensor x = Tensor.randn(gen, 3, 1, 10, 10);
        Tensor out = model.forward(x);
        assertEquals("conv2dReluMaxPool2d", out.gradFnName(), "the block ran as the fused op");
        Tensor composed = x.conv2d(conv.weight(), conv.bias(), ONE, NO_PAD, ONE, 1).relu().maxPool2d(K2, K2, NO_PAD);
        assertSameBits(composed.toFloatArray(), out.toFloatArray(), "Sequential value");
        out.sum().backward();
        float[] fusedGrad = conv.weight().grad().toFloatArray();
        conv.weight().zeroGrad();
        conv.bias().zeroGrad();
        composed.sum().backward();
        assertSameBits(conv.weight().grad().toFloatArray(), fusedGrad, "Sequential weight gradient");
    }
}
