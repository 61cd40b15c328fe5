package dev.descent.data;

import dev.descent.tensor.Tensor;
import java.util.Arrays;

/**
 * A data set held in memory as two tensors whose first dimension indexes the examples:
 * features [N, ...] and targets [N] (class indices as whole numbers, or regression values) or
 * [N, k]. Batches are gathered rows.
 *
 * @param features one row per example
 * @param targets  one row per example
 */
public record TensorDataset(Tensor features, Tensor targets) {
    public TensorDataset {
        if (features.dim() == 0 || targets.dim() == 0 || features.size(0) != targets.size(0)) {
            throw new IllegalArgumentException("features " + Arrays.toString(features.shape()) + " and targets "
                    + Arrays.toString(targets.shape()) + " must have the same first dimension");
        }
    }

    public int size() {
        return features.size(0);
    }

    /** The examples at the given positions, in that order, as new contiguous tensors. */
    public TensorDataset subset(int[] indices) {
        return new TensorDataset(rows(features, indices), rows(targets, indices));
    }

    /** The examples from..to-1, as new contiguous tensors. */
    public TensorDataset range(int from, int to) {
        int[] idx = new int[to - from];
        for (int i = 0; i < idx.length; i++) idx[i] = from + i;
        return subset(idx);
    }

    static Tensor rows(Tensor t, int[] indices) {
        float[] src = values(t);
        int n = t.size(0);
        int row = n == 0 ? 0 : src.length / n;
        // Tensor.empty may hand back a batch the Trainer released: every element is written below.
        int[] shape = t.shape();
        shape[0] = indices.length;
        float[] out = Tensor.empty(shape).data();
        for (int i = 0; i < indices.length; i++) {
            int r = indices[i];
            if (r < 0 || r >= n) throw new IndexOutOfBoundsException("row " + r + " of a data set of " + n);
            System.arraycopy(src, r * row, out, i * row, row);
        }
        return Tensor.of(out, shape);
    }

    /**
     * The row-major values of t without a copy when t owns plain float32 storage. Gathering a
     * batch must not copy the whole data set: for Fashion-MNIST that is 47M floats per batch,
     * which made every step cost half a second.
     */
    private static float[] values(Tensor t) {
        Tensor c = t.contiguous();
        try {
            return c.data();
        } catch (IllegalStateException e) {
            return c.toFloatArray();
        }
    }

    /** Class index of every example (targets must be whole numbers). */
    public int[] classIndices() {
        float[] y = targets.toFloatArray();
        int[] out = new int[y.length];
        for (int i = 0; i < y.length; i++) out[i] = (int) y[i];
        return out;
    }
}
