package dev.descent.nn;

import dev.descent.tensor.Tensor;
import java.util.Arrays;

/**
 * Average pooling over {@code [N, C, H, W]}, as PyTorch's {@code nn.AvgPool2d} with its defaults:
 * each output element is the sum of its {@code kH x kW} window divided by {@code kH * kW} (zero
 * padding is counted in the divisor, {@code count_include_pad=True}). The stride defaults to the
 * kernel size, as in PyTorch.
 */
public final class AvgPool2d extends Module {
    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;

    private AvgPool2d(int[] kernel, int[] stride, int[] padding) {
        this.kernel = Conv2d.pair("kernel_size", kernel, 1);
        this.stride = Conv2d.pair("stride", stride, 1);
        this.padding = Conv2d.pair("padding", padding, 0);
        if (this.padding[0] * 2 > this.kernel[0] || this.padding[1] * 2 > this.kernel[1]) {
            throw new IllegalArgumentException("AvgPool2d: padding " + Arrays.toString(padding) + " must be at most half the kernel "
                    + Arrays.toString(kernel));
        }
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

    /** Keeps nothing of its input or output outside the recorded graph. */
    @Override
    public boolean keepsActivations() {
        return false;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() != 4) {
            throw new IllegalArgumentException("AvgPool2d: expected input [N, C, H, W], got " + Arrays.toString(input.shape()));
        }
        return input.avgPool2d(kernel, stride, padding);
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + Arrays.toString(kernel) + ", stride=" + Arrays.toString(stride) + ", padding=" + Arrays.toString(padding);
    }
}
