package dev.descent.tensor;

/**
 * Walks the elements of a strided view in row-major order, keeping the storage offset of the
 * current element in {@link #offset}. The innermost dimension advances by one stride; carries
 * ripple outward like an odometer.
 */
final class StridedIndex {
    private final int[] shape;
    private final int[] strides;
    private final int[] index;
    int offset;

    StridedIndex(int[] shape, int[] strides, int offset) {
        this.shape = shape;
        this.strides = strides;
        this.index = new int[shape.length];
        this.offset = offset;
    }

    void next() {
        for (int k = shape.length - 1; k >= 0; k--) {
            if (++index[k] < shape[k]) {
                offset += strides[k];
                return;
            }
            offset -= strides[k] * (shape[k] - 1);
            index[k] = 0;
        }
    }
}
