package dev.descent.loss;

import dev.descent.tensor.Tensor;
import java.util.Arrays;

/**
 * Class-index targets, read and checked against an input of shape [N, C, d1, ...] (class
 * dimension 1) or [C] (one unbatched sample, class dimension 0). Descent has no integer element
 * type, so the indices arrive as whole numbers in a float tensor of shape [N, d1, ...] (or []).
 *
 * <p>The losses turn the indices into a constant coefficient tensor of the input's shape and
 * contract it with the (log-)probabilities, so one multiply and one sum select the target
 * entries; gather is not needed.
 */
final class ClassTargets {
    final int outer;
    final int classes;
    final int inner;
    final int classDim;
    final int[] targetShape;
    /** The index of every target position, row-major; {@link #ignored} marks those to skip. */
    final int[] labels;
    final boolean[] ignored;

    private ClassTargets(int outer, int classes, int inner, int classDim, int[] targetShape, int[] labels, boolean[] ignored) {
        this.outer = outer;
        this.classes = classes;
        this.inner = inner;
        this.classDim = classDim;
        this.targetShape = targetShape;
        this.labels = labels;
        this.ignored = ignored;
    }

    /** The input shape without its class dimension: the shape class-index targets must have. */
    static int[] indexShape(int[] inputShape) {
        if (inputShape.length == 1) return new int[0];
        int[] s = new int[inputShape.length - 1];
        s[0] = inputShape[0];
        System.arraycopy(inputShape, 2, s, 1, inputShape.length - 2);
        return s;
    }

    /**
     * Reads and checks the targets.
     *
     * @param ignoreIndex the index whose positions count for nothing, or null for none
     * @param alternative text appended to a shape error (for example the probability-target
     *                    shape cross-entropy would also accept), or ""
     */
    static ClassTargets read(String loss, Tensor input, Tensor target, Integer ignoreIndex, String alternative) {
        Checks.notNull(loss, input, target);
        return read(loss, input.shape(), target, ignoreIndex, alternative);
    }

    /** {@link #read(String, Tensor, Tensor, Integer, String)} for an input of this shape (only its shape is read). */
    static ClassTargets read(String loss, int[] in, Tensor target, Integer ignoreIndex, String alternative) {
        if (in.length == 0) {
            throw new IllegalArgumentException(loss + ": input must have a class dimension ([C], [N, C] or [N, C, d1, ...]), got a 0-d tensor");
        }
        int[] expected = indexShape(in);
        if (!Arrays.equals(expected, target.shape())) {
            throw new IllegalArgumentException(loss + ": target shape " + Checks.shape(target) + " does not fit input shape "
                    + Arrays.toString(in) + ": class-index targets need shape " + Arrays.toString(expected) + alternative);
        }
        int classDim = in.length == 1 ? 0 : 1;
        int classes = in[classDim];
        int outer = in.length == 1 ? 1 : in[0];
        int inner = 1;
        for (int k = 2; k < in.length; k++) inner *= in[k];
        double[] v = target.toDoubleArray();
        int[] labels = new int[v.length];
        boolean[] ignored = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            double x = v[i];
            if (x != Math.rint(x) || Double.isInfinite(x)) {
                throw new IllegalArgumentException(loss + ": target" + position(i, expected) + " = " + x
                        + " is not a whole number; class-index targets hold whole numbers in [0, " + classes + ")");
            }
            if (ignoreIndex != null && x == ignoreIndex) {
                ignored[i] = true;
                labels[i] = ignoreIndex;
                continue;
            }
            if (x < 0 || x >= classes) {
                throw new IllegalArgumentException(loss + ": target" + position(i, expected) + " = " + (long) x
                        + " is out of range for " + classes + " classes (input shape " + Arrays.toString(in) + ")"
                        + (ignoreIndex == null ? "" : " and is not ignoreIndex " + ignoreIndex));
            }
            labels[i] = (int) x;
        }
        return new ClassTargets(outer, classes, inner, classDim, expected, labels, ignored);
    }

    /** "[i, j, ...]" for row-major position {@code flat} of a tensor of the given shape. */
    static String position(int flat, int[] shape) {
        if (shape.length == 0) return "[]";
        int[] idx = new int[shape.length];
        for (int k = shape.length - 1; k >= 0; k--) {
            idx[k] = flat % shape[k];
            flat /= shape[k];
        }
        return Arrays.toString(idx);
    }

    /** Weight of class c (1 without class weights). */
    static double weightOf(double[] w, int c) {
        return w == null ? 1.0 : w[c];
    }

    /**
     * The constant {@code A} of the input's shape with
     * {@code A[n, c, r] = onTarget * w[t] * [c == t] + spread * w[c]} at counted positions
     * (t = the target at [n, r]) and 0 at ignored ones.
     */
    Tensor coefficients(Tensor like, double[] w, double onTarget, double spread) {
        double[] a = new double[outer * classes * inner];
        for (int n = 0; n < outer; n++) {
            for (int r = 0; r < inner; r++) {
                int p = n * inner + r;
                if (ignored[p]) continue;
                int base = n * classes * inner + r;
                if (spread != 0) {
                    for (int c = 0; c < classes; c++) a[base + c * inner] = spread * weightOf(w, c);
                }
                int t = labels[p];
                a[base + t * inner] += onTarget * weightOf(w, t);
            }
        }
        return Checks.constant(like, a, like.shape());
    }

    /** The sum of w[t] over counted positions: the divisor of a weighted mean. */
    double totalWeight(double[] w) {
        double total = 0;
        for (int p = 0; p < labels.length; p++) {
            if (!ignored[p]) total += weightOf(w, labels[p]);
        }
        return total;
    }

    /** w[t] at every position (0 where ignored), as a constant of the target shape. */
    Tensor targetWeights(Tensor like, double[] w) {
        double[] out = new double[labels.length];
        for (int p = 0; p < labels.length; p++) out[p] = ignored[p] ? 0 : weightOf(w, labels[p]);
        return Checks.constant(like, out, targetShape);
    }
}
