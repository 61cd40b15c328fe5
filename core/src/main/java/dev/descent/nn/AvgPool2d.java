package dev.descent.nn;

import dev.descent.tensor.Tensor;

/**
 * Average pooling over {@code [N, C, H, W]}, as PyTorch's {@code nn.AvgPool2d} with its defaults:
 * each output element is the sum of its {@code kH x kW} window divided by {@code kH * kW} (zero
 * padding is counted in the divisor, {@code count_include_pad=True}). The stride defaults to the
 * kernel size, as in PyTorch.
 */
public final class AvgPool2d extends Pool2d {
    private AvgPool2d(int[] kernel, int[] stride, int[] padding) {
        super(kernel, stride, padding);
    }

    /** Square window, stride = kernel size, no padding. */
    public static AvgPool2d of(int kernelSize) {
        return of(kernelSize, kernelSize, 0);
    }

    /** Square window with the given stride and padding. */
    public static AvgPool2d of(int kernelSize, int stride, int padding) {
        return new AvgPool2d(new int[] {kernelSize, kernelSize}, new int[] {stride, stride}, new int[] {padding, padding});
    }

    /** {@code {h, w}} pairs; a null stride means the kernel size. */
    public static AvgPool2d of(int[] kernel, int[] stride, int[] padding) {
        return new AvgPool2d(kernel, stride == null ? kernel : stride, padding);
    }

    @Override
    Tensor pool(Tensor input) {
        return input.avgPool2d(kernel, stride, padding);
    }
}
