package dev.descent.tensor;

/** Placeholder until the convolution kernels land. */
final class Convolution {
    private Convolution() {}

    static Tensor conv2d(Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, int[] dilation, int groups) {
        throw new UnsupportedOperationException("conv2d is not implemented yet");
    }
}
