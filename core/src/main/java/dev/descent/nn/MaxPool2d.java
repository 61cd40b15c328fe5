package dev.descent.nn;

import dev.descent.tensor.Tensor;
import java.util.Arrays;

/**
 * Max pooling over {@code [N, C, H, W]}, as PyTorch's {@code nn.MaxPool2d}: each output element is
 * the largest input in its {@code kH x kW} window (padding counts as minus infinity); the gradient
 * goes to that element. The stride defaults to the kernel size, as in PyTorch.
 */
public final class MaxPool2d extends Module {
    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;

    private MaxPool2d(int[] kernel, int[] stride, int[] padding) {
        this.kernel = Conv2d.pair("kernel_size", kernel, 1);
        this.stride = Conv2d.pair("stride", stride, 1);
        this.padding = Conv2d.pair("padding", padding, 0);
        if (this.padding[0] * 2 > this.kernel[0] || this.padding[1] * 2 > this.kernel[1]) {
            throw new IllegalArgumentException("MaxPool2d: padding " + Arrays.toString(padding) + " must be at most half the kernel "
                    + Arrays.toString(kernel));
        }
    }

    /** Square window, stride = kernel size, no padding. */
    public static MaxPool2d of(int kernelSize) {
        return of(kernelSize, kernelSize, 0);
    }

    /** Square window with the given stride and padding. */
    public static MaxPool2d of(int kernelSize, int stride, int padding) {
        return new MaxPool2d(new int[] {kernelSize, kernelSize}, new int[] {stride, stride}, new int[] {padding, padding});
    }

    /** {@code {h, w}} pairs; a null stride means the kernel size. */
    public static MaxPool2d of(int[] kernel, int[] stride, int[] padding) {
        return new MaxPool2d(kernel, stride == null ? kernel : stride, padding);
    }

    /** Keeps nothing of its input or output outside the recorded graph. */
    @Override
    public boolean keepsActivations() {
        return false;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() != 4) {
            throw new IllegalArgumentException("MaxPool2d: expected input [N, C, H, W], got " + Arrays.toString(input.shape()));
        }
        return input.maxPool2d(kernel, stride, padding);
    }

    /**
     * {@code forward(relu(input))} in one fused operation (same bits, no ReLU intermediate); what
     * {@link Sequential} runs for a ReLU directly followed by this pooling.
     */
    Tensor forwardAfterRelu(Tensor input) {
        if (input.dim() != 4) {
            throw new IllegalArgumentException("MaxPool2d: expected input [N, C, H, W], got " + Arrays.toString(input.shape()));
        }
        return input.reluMaxPool2d(kernel, stride, padding);
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + Arrays.toString(kernel) + ", stride=" + Arrays.toString(stride) + ", padding=" + Arrays.toString(padding);
    }
}
