package dev.descent.tensor;

/** Placeholder until the pooling kernels land. */
final class Pooling {
    private Pooling() {}

    static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding) {
        throw new UnsupportedOperationException("maxPool2d is not implemented yet");
    }

    static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding) {
        throw new UnsupportedOperationException("avgPool2d is not implemented yet");
    }
}
