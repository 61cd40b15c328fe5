package dev.descent.data;

import dev.descent.tensor.Tensor;

/**
 * One mini-batch: inputs, targets, and the data-set rows they came from.
 *
 * @param features [B, ...]
 * @param targets  [B] or [B, ...]
 * @param rows     data-set row index of each example
 */
public record Batch(Tensor features, Tensor targets, int[] rows) {
    public int size() {
        return rows.length;
    }
}
