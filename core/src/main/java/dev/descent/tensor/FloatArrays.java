package dev.descent.tensor;

import dev.descent.tensor.kernel.Kernels;

/**
 * Reductions over raw float arrays, for code outside the tensor package that keeps its state in
 * plain arrays (optimizer state, gradient clipping) and must not reach into the kernels directly.
 * Same kernels, same fixed summation order, as the tensor reductions: vector and scalar modes give
 * the same bits.
 */
public final class FloatArrays {
    private FloatArrays() {}

    /** Sum of a[i]^2 over the whole array, accumulated in double (each square is exact in double). */
    public static double sumOfSquares(float[] a) {
        return Kernels.sumSquares(a, 0, a.length);
    }
}
