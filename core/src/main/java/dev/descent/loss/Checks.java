package dev.descent.loss;

import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;
import java.util.Arrays;

/** Argument checks and constant tensors shared by the losses; every message names the loss. */
final class Checks {
    private Checks() {}

    static String shape(Tensor t) {
        return Arrays.toString(t.shape());
    }

    static void notNull(String loss, Tensor input, Tensor target) {
        if (input == null) throw new IllegalArgumentException(loss + ": input is null");
        if (target == null) throw new IllegalArgumentException(loss + ": target is null");
    }

    /**
     * Input and target of an elementwise loss must have the same shape. PyTorch broadcasts some
     * losses with only a warning; Descent refuses, because a prediction of shape [N, 1] against a
     * target of shape [N] would silently compare every prediction with every target.
     */
    static void sameShape(String loss, Tensor input, Tensor target) {
        notNull(loss, input, target);
        if (!Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException(loss + ": input shape " + shape(input) + " and target shape " + shape(target)
                    + " differ; they must be equal (no broadcasting)");
        }
        if (input.dtype() != target.dtype()) {
            throw new IllegalArgumentException(loss + ": input is " + input.dtype() + " but target is " + target.dtype()
                    + "; convert one with toF32() or toF64()");
        }
    }

    /** {@code t} in the given element type (a copy without gradient link when it must convert). */
    static Tensor as(Tensor t, DType dtype) {
        if (t.dtype() == dtype) return t;
        return dtype == DType.F32 ? t.toF32() : t.toF64();
    }

    /** A constant (no gradient) tensor of {@code like}'s element type holding {@code values}. */
    static Tensor constant(Tensor like, double[] values, int... shape) {
        if (like.dtype() == DType.F64) return Tensor.of(values, shape);
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
        return Tensor.of(f, shape);
    }

    /** A 0-d constant of {@code like}'s element type. */
    static Tensor scalar(Tensor like, double value) {
        return like.dtype() == DType.F64 ? Tensor.scalar(value) : Tensor.scalar((float) value);
    }

    /**
     * Checks that {@code t} (a weight) broadcasts to {@code shape} without enlarging it: every
     * trailing dimension of t equals the one of shape, or is 1.
     */
    static void broadcastsTo(String loss, String what, Tensor t, int[] shape) {
        int[] s = t.shape();
        boolean ok = s.length <= shape.length;
        for (int i = 1; ok && i <= s.length; i++) {
            int a = s[s.length - i], b = shape[shape.length - i];
            ok = a == b || a == 1;
        }
        if (!ok) {
            throw new IllegalArgumentException(loss + ": " + what + " of shape " + Arrays.toString(s)
                    + " does not broadcast to the input shape " + Arrays.toString(shape));
        }
    }

    /** Values of a 1-D class-weight tensor, checked to be finite; null stays null. */
    static double[] classWeights(String loss, Tensor weight) {
        if (weight == null) return null;
        if (weight.dim() != 1) {
            throw new IllegalArgumentException(loss + ": weight must be 1-D with one entry per class, got shape " + shape(weight));
        }
        double[] w = weight.toDoubleArray();
        for (int i = 0; i < w.length; i++) {
            if (!Double.isFinite(w[i])) throw new IllegalArgumentException(loss + ": weight[" + i + "] = " + w[i] + " is not finite");
        }
        return w;
    }

    static void classWeightCount(String loss, double[] weight, int classes) {
        if (weight != null && weight.length != classes) {
            throw new IllegalArgumentException(loss + ": weight has " + weight.length + " entries but the input has "
                    + classes + " classes");
        }
    }
}
