package dev.descent.nn;

import dev.descent.tensor.Tensor;

/**
 * Max pooling over {@code [N, C, H, W]}, as PyTorch's {@code nn.MaxPool2d}: each output element is
 * the largest input in its {@code kH x kW} window (padding counts as minus infinity); the gradient
 * goes to that element. The stride defaults to the kernel size, as in PyTorch.
 */
public final class MaxPool2d extends Pool2d {
    private MaxPool2d(int[] kernel, int[] stride, int[] padding) {
        super(kernel, stride, padding);
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

    @Override
    Tensor pool(Tensor input) {
        return input.maxPool2d(kernel, stride, padding);
    }

    /**
     * {@code forward(relu(input))} in one fused operation (same bits, no ReLU intermediate); what
     * {@link Sequential} runs for a ReLU directly followed by this pooling.
     */
    Tensor forwardAfterRelu(Tensor input) {
        return checked(input).reluMaxPool2d(kernel, stride, padding);
    }

    /**
     * {@code forward(relu(conv.forward(input)))} in one fused operation (same bits); what
     * {@link Sequential} runs for a convolution, a ReLU and this pooling in a row.
     */
    Tensor forwardAfterConvRelu(Conv2d conv, Tensor input) {
        return conv.forwardReluMaxPool(input, this);
    }
}
