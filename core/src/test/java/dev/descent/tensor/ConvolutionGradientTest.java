package dev.descent.tensor;

import org.junit.jupiter.api.Test;

/**
 * Finite-difference checks (float64, {@link GradCheck}) of conv2d with respect to input, weight
 * and bias over seeded shapes covering stride, padding, dilation, groups, depthwise, 1x1 kernels,
 * odd and non-square sizes, batch 1, and no bias.
 */
class ConvolutionGradientTest {
    private final Generator gen = Generator.seeded(71);

    private Tensor x(int... shape) {
        return GradCheck.randn(gen, shape);
    }

    private static int[] p(int h, int w) {
        return new int[] {h, w};
    }

    private void check(String name, int[] xs, int[] ws, boolean bias, int[] stride, int[] padding, int[] dilation, int groups) {
        if (bias) {
            GradCheck.check(name, in -> in[0].conv2d(in[1], in[2], stride, padding, dilation, groups), x(xs), x(ws), x(ws[0]));
        } else {
            GradCheck.check(name, in -> in[0].conv2d(in[1], null, stride, padding, dilation, groups), x(xs), x(ws));
        }
    }

    @Test void plain() { check("conv plain", new int[] {2, 3, 5, 6}, new int[] {4, 3, 3, 3}, true, p(1, 1), p(0, 0), p(1, 1), 1); }
    @Test void strideAndPadding() { check("conv stride 2 pad 1", new int[] {1, 2, 7, 6}, new int[] {3, 2, 3, 3}, true, p(2, 2), p(1, 1), p(1, 1), 1); }
    @Test void asymmetricStridePaddingDilation() {
        check("conv s{2,1} p{0,2} d{2,1}", new int[] {2, 2, 7, 5}, new int[] {2, 2, 2, 3}, false, p(2, 1), p(0, 2), p(2, 1), 1);
    }
    @Test void dilationWithPadding() { check("conv d2 p2", new int[] {1, 2, 6, 6}, new int[] {2, 2, 3, 3}, true, p(1, 1), p(2, 2), p(2, 2), 1); }
    @Test void strideLargerThanKernel() { check("conv s3 k2", new int[] {2, 1, 8, 7}, new int[] {2, 1, 2, 2}, true, p(3, 3), p(0, 1), p(1, 1), 1); }
    @Test void groups() { check("conv groups 2", new int[] {2, 4, 5, 5}, new int[] {6, 2, 3, 3}, true, p(1, 1), p(1, 1), p(1, 1), 2); }
    @Test void depthwise() { check("conv depthwise", new int[] {2, 3, 5, 4}, new int[] {3, 1, 3, 3}, true, p(1, 1), p(1, 1), p(1, 1), 3); }
    @Test void depthwiseMultiplier() { check("conv depthwise x2", new int[] {1, 3, 5, 5}, new int[] {6, 1, 2, 2}, false, p(2, 1), p(1, 0), p(1, 2), 3); }
    @Test void kernelOne() { check("conv 1x1", new int[] {2, 3, 4, 3}, new int[] {5, 3, 1, 1}, true, p(1, 1), p(0, 0), p(1, 1), 1); }
    @Test void kernelOneStridedPadded() { check("conv 1x1 s2 p1", new int[] {1, 2, 5, 4}, new int[] {3, 2, 1, 1}, true, p(2, 2), p(1, 1), p(1, 1), 1); }
    @Test void oddSizesBatchOneNoBias() { check("conv odd", new int[] {1, 1, 5, 3}, new int[] {1, 1, 2, 2}, false, p(1, 1), p(0, 0), p(1, 1), 1); }
    @Test void kernelCoversPaddedInput() { check("conv full", new int[] {2, 2, 3, 3}, new int[] {2, 2, 5, 5}, true, p(1, 1), p(1, 1), p(1, 1), 1); }

    @Test
    void inputOnlyAndWeightOnly() {
        // Rules must skip the gradients nobody asked for and still get the others right.
        Tensor w = x(3, 2, 3, 3), in = x(2, 2, 5, 5);
        GradCheck.check("conv input only", t -> t[0].conv2d(w, null, p(1, 1), p(1, 1), p(1, 1), 1), x(2, 2, 5, 5));
        GradCheck.check("conv weight only", t -> in.conv2d(t[0], null, p(2, 1), p(0, 1), p(1, 1), 1), x(3, 2, 3, 3));
    }

    @Test
    void throughATransposedInputView() {
        Tensor w = x(2, 3, 2, 2);
        GradCheck.check("conv of a permuted view", t -> t[0].permute(0, 3, 1, 2).conv2d(w, null, p(1, 1), p(0, 0), p(1, 1), 1), x(2, 4, 5, 3));
    }
}
