package dev.descent.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.tensor.kernel.KernelMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * The float32 conv2d path (im2col + Gemm) against the float64 definition, its bit-exactness
 * across thread counts and kernel modes, and its error messages.
 */
@ExtendWith(GlobalSettings.class)
class ConvolutionFloat32Test {
    /** Unit roundoff of float32. */
    private static final double U = 0x1p-24;

    private static int[] p(int h, int w) {
        return new int[] {h, w};
    }

    /** One conv2d configuration: shapes and hyperparameters. */
    record Case(String name, int[] x, int[] w, boolean bias, int[] stride, int[] padding, int[] dilation, int groups) {
        Tensor run(Tensor in, Tensor weight, Tensor b) {
            return in.conv2d(weight, bias ? b : null, stride, padding, dilation, groups);
        }

        /** With a chosen number of images per weight-gradient chunk (1: every image its own chunk). */
        Tensor run(Tensor in, Tensor weight, Tensor b, int chunk) {
            return Convolution.conv2d(in, weight, bias ? b : null, stride, padding, dilation, groups, chunk);
        }

        /** Longest chain of float32 roundings behind one forward, dW and dX element (see the agreement test). */
        int[] depths(int[] outShape) {
            int k = x[1] / groups * w[2] * w[3];
            int np = outShape[0] * outShape[2] * outShape[3];
            int og = w[0] / groups;
            return new int[] {k + 1, np, og + w[2] * w[3]};
        }
    }

    private static final Case[] CASES = {
            new Case("plain", new int[] {3, 3, 9, 8}, new int[] {5, 3, 3, 3}, true, p(1, 1), p(0, 0), p(1, 1), 1),
            new Case("stride, padding", new int[] {2, 4, 11, 10}, new int[] {6, 4, 3, 3}, true, p(2, 2), p(1, 1), p(1, 1), 1),
            new Case("asymmetric, dilated", new int[] {2, 2, 12, 9}, new int[] {3, 2, 3, 2}, false, p(2, 1), p(1, 2), p(2, 3), 1),
            new Case("groups", new int[] {2, 6, 8, 8}, new int[] {9, 2, 3, 3}, true, p(1, 1), p(1, 1), p(1, 1), 3),
            new Case("depthwise", new int[] {2, 5, 7, 7}, new int[] {5, 1, 3, 3}, true, p(1, 1), p(1, 1), p(1, 1), 5),
            new Case("1x1", new int[] {2, 7, 5, 6}, new int[] {4, 7, 1, 1}, true, p(1, 1), p(0, 0), p(1, 1), 1),
            new Case("batch 1, odd", new int[] {1, 1, 7, 5}, new int[] {2, 1, 2, 3}, false, p(3, 2), p(1, 0), p(1, 1), 1),
            // 64 output channels and K = 72: the weight gradient takes Gemm instead of RowDots
            new Case("wide (Gemm weight gradient)", new int[] {2, 8, 6, 7}, new int[] {64, 8, 3, 3}, true, p(1, 1), p(1, 1), p(1, 1), 1),
    };

    /** {output, dx, dw, db} of a forward and backward pass (db empty without bias). */
    private static double[][] pass(Case c, Tensor x, Tensor w, Tensor b, Tensor g) {
        return pass(c, x, w, b, g, Convolution.DEFAULT_CHUNK);
    }

    private static double[][] pass(Case c, Tensor x, Tensor w, Tensor b, Tensor g, int chunk) {
        Tensor xl = x.copy().requireGrad(), wl = w.copy().requireGrad(), bl = b.copy().requireGrad();
        Tensor out = c.run(xl, wl, bl, chunk);
        out.backward(g);
        return new double[][] {out.toDoubleArray(), xl.grad().toDoubleArray(), wl.grad().toDoubleArray(),
                c.bias ? bl.grad().toDoubleArray() : new double[0]};
    }

    private static Tensor abs(Tensor t) {
        return Tensor.of(java.util.Arrays.stream(t.toDoubleArray()).map(Math::abs).toArray(), t.shape());
    }

    /**
     * Float32 results against float64 on the same (float32-representable) inputs. Each float32
     * value is a sum of products computed with n roundings (an fma chain over depth K for the
     * output, plus the bias add; over the batch positions N*P for dW; over O/groups, then up to
     * kH*kW col2im additions for dX), so by the standard bound (Higham, Accuracy and Stability,
     * 3.1) |fl - exact| <= gamma_n * sum |terms|, gamma_n = n u / (1 - n u). The sums of |terms|
     * come from the same computation in float64 on |x|, |w|, |b| and |g|. The bias gradient is a
     * double sum rounded once: u |db| plus the same bound. A wrong index would miss by O(1) terms.
     */
    @Test
    void float32AgreesWithFloat64WithinRoundingBounds() {
        Generator gen = Generator.seeded(5);
        for (Case c : CASES) {
            Tensor x = Tensor.randn(gen, c.x), w = Tensor.randn(gen, c.w), b = Tensor.randn(gen, c.w[0]);
            int[] outShape = c.run(x, w, b).shape();
            Tensor g = Tensor.randn(gen, outShape);
            double[][] f64 = pass(c, x.toF64(), w.toF64(), b.toF64(), g.toF64());
            double[][] bound = pass(c, abs(x), abs(w), abs(b), abs(g));
            int[] depth = c.depths(outShape);
            int[] which = {0, 2, 1, 2}; // output, dx, dw, db use depths[0], [2], [1], [1]
            String[] names = {"output", "input grad", "weight grad", "bias grad"};
            // The default weight-gradient chunks, and one image per chunk (partials added across images).
            for (int chunk : new int[] {Convolution.DEFAULT_CHUNK, 1}) {
                double[][] f32 = pass(c, x, w, b, g, chunk);
                for (int q = 0; q < 4; q++) {
                    int n = depth[which[q]];
                    double gamma = n * U / (1 - n * U);
                    for (int i = 0; i < f64[q].length; i++) {
                        double tol = gamma * bound[q][i] + U * Math.abs(f64[q][i]);
                        assertTrue(Math.abs(f32[q][i] - f64[q][i]) <= tol, c.name + " (chunk " + chunk + ") " + names[q]
                                + "[" + i + "]: float32 " + f32[q][i] + " vs float64 " + f64[q][i] + " (bound " + tol + ")");
                    }
                }
            }
        }
    }

    /**
     * Weight-gradient chunks change nothing in the output, input gradient and bias gradient (images
     * are independent, and the bias sum does not use chunks). The weight gradient's summation order
     * is fixed per chunk size, so there only agreement within rounding is expected (checked above).
     */
    @Test
    void weightGradientChunksLeaveTheOtherResultsAlone() {
        Generator gen = Generator.seeded(12);
        for (Case c : CASES) {
            Tensor x = Tensor.randn(gen, c.x), w = Tensor.randn(gen, c.w), b = Tensor.randn(gen, c.w[0]);
            Tensor g = Tensor.randn(gen, c.run(x, w, b).shape());
            double[][] whole = pass(c, x, w, b, g, c.x[0]);
            double[][] perImage = pass(c, x, w, b, g, 1);
            assertArrayEquals(whole[0], perImage[0], c.name + " output");
            assertArrayEquals(whole[1], perImage[1], c.name + " input grad");
            assertArrayEquals(whole[3], perImage[3], c.name + " bias grad");
        }
    }

    /** A problem large enough that im2col, col2im and the matrix multiplies all split over threads. */
    private static float[][] bigPass(int groups, int stride) {
        return bigPass(groups, stride, 16);
    }

    private static float[][] bigPass(int groups, int stride, int outChannels) {
        return bigPass(groups, stride, outChannels, Convolution.DEFAULT_CHUNK);
    }

    private static float[][] bigPass(int groups, int stride, int outChannels, int chunk) {
        Generator gen = Generator.seeded(77);
        Tensor x = Tensor.randn(gen, 16, 8, 14, 14).requireGrad();
        Tensor w = Tensor.randn(gen, outChannels, 8 / groups, 3, 3).mul(0.2).detach().requireGrad();
        Tensor b = Tensor.randn(gen, outChannels).requireGrad();
        Tensor y = Convolution.conv2d(x, w, b, p(stride, stride), p(1, 1), p(1, 1), groups, chunk).relu();
        Tensor max = y.maxPool2d(p(2, 2), p(2, 2), p(0, 0)), avg = y.avgPool2d(p(3, 3), p(2, 2), p(1, 1));
        max.mul(max).sum().add(avg.mul(avg).sum()).backward();
        return new float[][] {y.toFloatArray(), max.toFloatArray(), avg.toFloatArray(),
                x.grad().toFloatArray(), w.grad().toFloatArray(), b.grad().toFloatArray()};
    }

    private static void assertSame(float[][] expected, float[][] actual, String what) {
        for (int i = 0; i < expected.length; i++) assertArrayEquals(expected[i], actual[i], what + ": output " + i);
    }

    /**
     * Every cell of the {@link KernelMatrix} gives the reference cell's bits: groups 1 and 2,
     * stride 1 and 2; 64 output channels, K = 72 (the weight gradient through Gemm rather than
     * RowDots); and weight-gradient chunks of 5 images (5, 5, 5 and 1 of the 16) for both paths.
     */
    @ParameterizedTest
    @ArgumentsSource(KernelMatrix.class)
    void bitIdenticalOnEveryThreadCountAndKernelMode(boolean vectorized, int threads) {
        assertTrue(KernelMode.vectorAvailable(), "tests run with --add-modules jdk.incubator.vector; the module is missing");
        int fiveImages = 5;
        record Setup(String name, java.util.function.Supplier<float[][]> pass) {}
        List<Setup> setups = List.of(new Setup("groups 1", () -> bigPass(1, 1)), new Setup("stride 2", () -> bigPass(1, 2)),
                new Setup("groups 2", () -> bigPass(2, 1)), new Setup("stride 2, groups 2", () -> bigPass(2, 2)),
                new Setup("64 output channels", () -> bigPass(1, 1, 64)), new Setup("chunks of 5 images", () -> bigPass(1, 1, 16, fiveImages)),
                new Setup("chunks of 5 images, 64 output channels", () -> bigPass(1, 1, 64, fiveImages)));
        String cell = (vectorized ? "vector" : "scalar") + " on " + threads + " threads";
        for (Setup setup : setups) {
            float[][] reference = REFERENCES.computeIfAbsent(setup.name(), k -> KernelMatrix.reference(setup.pass()));
            assertSame(reference, KernelMatrix.in(vectorized, threads, setup.pass()), cell + ", " + setup.name());
        }
    }

    /** The reference cell's results by setup, computed once for the six cells. */
    private static final Map<String, float[][]> REFERENCES = new HashMap<>();

    @Test
    void repeatedCallsReuseScratchWithoutLeakingValues() {
        // A large call, then a smaller one: scratch buffers are reused, and stale contents must not show.
        Generator gen = Generator.seeded(3);
        Tensor big = Tensor.randn(gen, 4, 3, 12, 12), wBig = Tensor.randn(gen, 6, 3, 3, 3);
        Tensor small = Tensor.randn(gen, 1, 2, 4, 4), wSmall = Tensor.randn(gen, 2, 2, 2, 2);
        float[] first = small.conv2d(wSmall, null, p(1, 1), p(1, 1), p(1, 1), 1).toFloatArray();
        big.conv2d(wBig, null, p(1, 1), p(1, 1), p(1, 1), 1);
        assertArrayEquals(first, small.conv2d(wSmall, null, p(1, 1), p(1, 1), p(1, 1), 1).toFloatArray());
    }

    @Test
    void weightGradientAfterOtherConvolutionsReusedTheScratch() {
        // The rule rebuilds the column matrix from the saved input: another convolution between the
        // forward and backward pass (which overwrites the shared scratch) must not change dW. The
        // weight also starts requiring gradients only after the forward pass, which the engine allows.
        Generator gen = Generator.seeded(8);
        Tensor x = Tensor.randn(gen, 2, 2, 5, 5).requireGrad(), w = Tensor.randn(gen, 3, 2, 3, 3);
        Tensor late = x.conv2d(w, null, p(2, 1), p(1, 0), p(1, 1), 1);
        w.requireGrad();
        Tensor.randn(gen, 3, 2, 9, 9).conv2d(Tensor.randn(gen, 4, 2, 3, 3), null, p(1, 1), p(1, 1), p(1, 1), 1);
        late.sum().backward();
        Tensor w2 = w.copy().requireGrad();
        x.conv2d(w2, null, p(2, 1), p(1, 0), p(1, 1), 1).sum().backward();
        assertArrayEquals(w2.grad().toFloatArray(), w.grad().toFloatArray());
    }

    @Test
    void errorsNameTheOpAndShapes() {
        var ch = assertThrows(ShapeException.class,
                () -> Tensor.zeros(2, 3, 8, 8).conv2d(Tensor.zeros(4, 2, 3, 3), null, p(1, 1), p(0, 0), p(1, 1), 1));
        assertEquals("conv2d: input [2, 3, 8, 8] has 3 channels but weight [4, 2, 3, 3] expects 2 (groups 1)", ch.getMessage());
        var rank = assertThrows(ShapeException.class,
                () -> Tensor.zeros(3, 8, 8).conv2d(Tensor.zeros(4, 3, 3, 3), null, p(1, 1), p(0, 0), p(1, 1), 1));
        assertTrue(rank.getMessage().startsWith("conv2d: input must be 4-D") && rank.getMessage().contains("[3, 8, 8]"), rank.getMessage());
        var bias = assertThrows(ShapeException.class,
                () -> Tensor.zeros(1, 3, 8, 8).conv2d(Tensor.zeros(4, 3, 3, 3), Tensor.zeros(3), p(1, 1), p(0, 0), p(1, 1), 1));
        assertTrue(bias.getMessage().contains("bias [3]") && bias.getMessage().contains("[4]"), bias.getMessage());
        var groups = assertThrows(ShapeException.class,
                () -> Tensor.zeros(1, 4, 8, 8).conv2d(Tensor.zeros(3, 2, 3, 3), null, p(1, 1), p(0, 0), p(1, 1), 2));
        assertTrue(groups.getMessage().contains("not divisible by groups 2"), groups.getMessage());
        var fit = assertThrows(ShapeException.class,
                () -> Tensor.zeros(1, 1, 4, 4).conv2d(Tensor.zeros(1, 1, 3, 3), null, p(1, 1), p(0, 0), p(2, 2), 1));
        assertTrue(fit.getMessage().contains("does not fit input [1, 1, 4, 4]"), fit.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(1, 1, 4, 4).conv2d(Tensor.zeros(1, 1, 3, 3), null, p(0, 1), p(0, 0), p(1, 1), 1));
        assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(1, 1, 4, 4).conv2d(Tensor.zeros(1, 1, 3, 3).toF64(), null, p(1, 1), p(0, 0), p(1, 1), 1));
    }
}
