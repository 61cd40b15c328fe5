package dev.descent.data;

import dev.descent.tensor.Tensor;

/**
 * Next-token examples from a sequence of token ids: consecutive, non-overlapping windows of
 * {@code T} ids, each with the window shifted by one as its targets. From N ids, window
 * i = 0 .. floor((N - 1) / T) - 1 has
 *
 * <pre>
 * x_i = ids[i*T .. i*T + T - 1],   y_i = ids[i*T + 1 .. i*T + T]
 * </pre>
 *
 * and the tail that fills no whole window is dropped. Features and targets are [windows, T]
 * tensors of whole-number ids (Descent has no integer type); a loader batches and shuffles them
 * as any data set.
 */
public final class TextWindows {
    private TextWindows() {}

    /**
     * The windows of {@code ids}.
     *
     * @param source names the text in an error
     * @throws DataException when the text is too short for one window
     */
    public static TensorDataset of(int[] ids, int blockSize, String source) {
        if (blockSize < 1) throw new IllegalArgumentException("block size must be at least 1, got " + blockSize);
        int n = ids.length < 1 ? 0 : (ids.length - 1) / blockSize;
        if (n == 0) {
            throw new DataException(source + ": " + ids.length + " tokens do not fill one window of block_size " + blockSize + " (it needs "
                    + (blockSize + 1) + ")");
        }
        float[] x = new float[n * blockSize], y = new float[n * blockSize];
        for (int i = 0; i < n * blockSize; i++) {
            x[i] = ids[i];
            y[i] = ids[i + 1];
        }
        return new TensorDataset(Tensor.of(x, n, blockSize), Tensor.of(y, n, blockSize));
    }
}
