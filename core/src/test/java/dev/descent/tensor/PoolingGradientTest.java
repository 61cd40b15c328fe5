package dev.descent.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Values, finite-difference gradients and errors of max and average pooling. */
class PoolingGradientTest {
    private final Generator gen = Generator.seeded(97);

    private Tensor x(int... shape) {
        return GradCheck.randn(gen, shape);
    }

    private static int[] p(int h, int w) {
        return new int[] {h, w};
    }

    @Test
    void maxPoolGradients() {
        GradCheck.check("maxPool k2", in -> in[0].maxPool2d(p(2, 2), p(2, 2), p(0, 0)), x(2, 3, 6, 5));
        GradCheck.check("maxPool k3 s2 p1 (overlapping)", in -> in[0].maxPool2d(p(3, 3), p(2, 2), p(1, 1)), x(2, 2, 7, 6));
        GradCheck.check("maxPool k{2,3} s{1,2} p{1,0}", in -> in[0].maxPool2d(p(2, 3), p(1, 2), p(1, 0)), x(1, 2, 5, 7));
        GradCheck.check("maxPool stride > kernel", in -> in[0].maxPool2d(p(2, 2), p(3, 3), p(1, 0)), x(1, 1, 8, 7));
    }

    @Test
    void avgPoolGradients() {
        GradCheck.check("avgPool k2", in -> in[0].avgPool2d(p(2, 2), p(2, 2), p(0, 0)), x(2, 3, 6, 5));
        GradCheck.check("avgPool k{3,2} s{2,1} p{1,1}", in -> in[0].avgPool2d(p(3, 2), p(2, 1), p(1, 1)), x(2, 2, 7, 6));
        GradCheck.check("avgPool k3 s1 p1", in -> in[0].avgPool2d(p(3, 3), p(1, 1), p(1, 1)), x(1, 2, 4, 5));
    }

    @Test
    void maxPoolPaddingIsMinusInfinityAndTiesGoToTheFirst() {
        // All negative input: zero padding would win, -inf padding never does.
        Tensor t = Tensor.of(new float[] {-1, -2, -3, -4}, 1, 1, 2, 2).requireGrad();
        Tensor out = t.maxPool2d(p(2, 2), p(1, 1), p(1, 1));
        assertArrayEquals(new float[] {-1, -1, -2, -1, -1, -2, -3, -3, -4}, out.toFloatArray());
        out.sum().backward();
        // x[0][0] is the max of the 4 windows that contain it; the others of the windows where they are alone or largest.
        assertArrayEquals(new float[] {4, 2, 2, 1}, t.grad().toFloatArray());

        Tensor ties = Tensor.of(new float[] {5, 5, 5, 5}, 1, 1, 2, 2).requireGrad();
        ties.maxPool2d(p(2, 2), p(2, 2), p(0, 0)).sum().backward();
        assertArrayEquals(new float[] {1, 0, 0, 0}, ties.grad().toFloatArray());
    }

    @Test
    void maxPoolNaNWinsAndTheLastNaNGetsTheGradient() {
        // PyTorch's CPU loop takes any NaN it meets, so the last NaN of the window is the arg-max.
        for (Tensor t : new Tensor[] {Tensor.of(new float[] {1, Float.NaN, Float.NaN, 2}, 1, 1, 2, 2),
                                      Tensor.of(new double[] {1, Double.NaN, Double.NaN, 2}, 1, 1, 2, 2)}) {
            Tensor leaf = t.requireGrad();
            Tensor out = leaf.maxPool2d(p(2, 2), p(2, 2), p(0, 0));
            assertTrue(Double.isNaN(out.item()), t.dtype() + " output");
            out.sum().backward();
            assertArrayEquals(new double[] {0, 0, 1, 0}, leaf.grad().toDoubleArray(), t.dtype() + " gradient");
        }
    }

    @Test
    void maxPoolFloat32GradientMatchesFloat64() {
        // float32 finds the arg-max in the backward pass, float64 during the forward: same positions.
        Generator g = Generator.seeded(4);
        Tensor x64 = x(2, 3, 9, 8);
        // coarse values make ties common, so the first-on-ties rule is exercised
        double[] v = x64.data64();
        for (int i = 0; i < v.length; i++) v[i] = Math.round(v[i] * 2) / 2.0;
        for (int[][] cfg : new int[][][] {{{2, 2}, {2, 2}, {0, 0}}, {{3, 2}, {2, 1}, {1, 1}}}) {
            Tensor a = x64.copy().requireGrad(), b = x64.toF32().requireGrad();
            Tensor gOut = Tensor.randn(g, a.maxPool2d(cfg[0], cfg[1], cfg[2]).shape());
            a.maxPool2d(cfg[0], cfg[1], cfg[2]).backward(gOut.toF64());
            b.maxPool2d(cfg[0], cfg[1], cfg[2]).backward(gOut);
            double[] ga = a.grad().toDoubleArray(), gb = b.grad().toDoubleArray();
            // identical positions; overlapping windows add up to 6 float32 values: a few ulps of the sum
            for (int i = 0; i < ga.length; i++) assertTrue(Math.abs(ga[i] - gb[i]) <= 1e-6 * (1 + Math.abs(ga[i])), "element " + i);
        }
    }

    @Test
    void avgPoolCountsPaddingInTheDivisor() {
        Tensor t = Tensor.ones(1, 1, 2, 2);
        Tensor out = t.avgPool2d(p(2, 2), p(1, 1), p(1, 1));
        assertArrayEquals(new float[] {0.25f, 0.5f, 0.25f, 0.5f, 1f, 0.5f, 0.25f, 0.5f, 0.25f}, out.toFloatArray());
        // ceil_mode = False: floor((5 + 0 - 2) / 2) + 1 = 2 windows, the last column dropped
        assertArrayEquals(new int[] {1, 1, 2, 2}, Tensor.ones(1, 1, 5, 5).avgPool2d(p(2, 2), p(2, 2), p(0, 0)).shape());
    }

    @Test
    void float32MatchesFloat64() {
        Tensor x64 = x(2, 3, 9, 8), x32 = x64.toF32();
        for (boolean max : new boolean[] {true, false}) {
            Tensor a = max ? x64.maxPool2d(p(3, 2), p(2, 2), p(1, 1)) : x64.avgPool2d(p(3, 2), p(2, 2), p(1, 1));
            Tensor b = max ? x32.maxPool2d(p(3, 2), p(2, 2), p(1, 1)) : x32.avgPool2d(p(3, 2), p(2, 2), p(1, 1));
            double[] e = a.toDoubleArray(), v = b.toDoubleArray();
            // max picks an element exactly; avg sums in double and rounds once: one float32 ulp
            for (int i = 0; i < e.length; i++) assertTrue(Math.abs(v[i] - e[i]) <= 6e-8 * Math.abs(e[i]), "element " + i);
        }
    }

    @Test
    void errorsNameTheOpAndShapes() {
        var rank = assertThrows(ShapeException.class, () -> Tensor.zeros(3, 4, 4).maxPool2d(p(2, 2), p(2, 2), p(0, 0)));
        assertTrue(rank.getMessage().contains("maxPool2d") && rank.getMessage().contains("[3, 4, 4]"), rank.getMessage());
        var big = assertThrows(ShapeException.class, () -> Tensor.zeros(1, 1, 2, 2).avgPool2d(p(3, 3), p(1, 1), p(0, 0)));
        assertTrue(big.getMessage().contains("avgPool2d") && big.getMessage().contains("[1, 1, 2, 2]"), big.getMessage());
        var pad = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(1, 1, 4, 4).maxPool2d(p(2, 2), p(2, 2), p(2, 0)));
        assertTrue(pad.getMessage().contains("half"), pad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(1, 1, 4, 4).maxPool2d(p(2, 2), p(0, 1), p(0, 0)));
    }
}
