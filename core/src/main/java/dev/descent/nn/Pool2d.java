package dev.descent.nn;

import dev.descent.tensor.Tensor;
import java.util.Arrays;

/**
 * What {@link MaxPool2d} and {@link AvgPool2d} share: the window geometry as PyTorch gives it
 * ({@code kernel_size}, {@code stride}, {@code padding} as {@code {h, w}} pairs, padding at most
 * half the kernel), the check that the input is {@code [N, C, H, W]}, and the printed form.
 */
abstract sealed class Pool2d extends Module permits MaxPool2d, AvgPool2d {
    final int[] kernel;
    final int[] stride;
    final int[] padding;

    Pool2d(int[] kernel, int[] stride, int[] padding) {
        this.kernel = Conv2d.pair("kernel_size", kernel, 1);
        this.stride = Conv2d.pair("stride", stride, 1);
        this.padding = Conv2d.pair("padding", padding, 0);
        if (this.padding[0] * 2 > this.kernel[0] || this.padding[1] * 2 > this.kernel[1]) {
            throw new IllegalArgumentException(name() + ": padding " + Arrays.toString(padding) + " must be at most half the kernel "
                    + Arrays.toString(kernel));
        }
    }

    /** The pooling of a checked {@code [N, C, H, W]} input. */
    abstract Tensor pool(Tensor input);

    /** Keeps nothing of its input or output outside the recorded graph. */
    @Override
    public final boolean keepsActivations() {
        return false;
    }

    @Override
    public final Tensor forward(Tensor input) {
        return pool(checked(input));
    }

    /** The input, if it is {@code [N, C, H, W]}; otherwise a one-line error naming the layer and the shape. */
    final Tensor checked(Tensor input) {
        if (input.dim() != 4) {
            throw new IllegalArgumentException(name() + ": expected input [N, C, H, W], got " + Arrays.toString(input.shape()));
        }
        return input;
    }

    private String name() {
        return getClass().getSimpleName();
    }

    /** Window {@code {h, w}}. */
    public final int[] kernel() { return kernel.clone(); }

    /** Stride {@code {h, w}}. */
    public final int[] stride() { return stride.clone(); }

    /** Padding {@code {h, w}} on each side. */
    public final int[] padding() { return padding.clone(); }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + Arrays.toString(kernel) + ", stride=" + Arrays.toString(stride) + ", padding=" + Arrays.toString(padding);
    }
}
