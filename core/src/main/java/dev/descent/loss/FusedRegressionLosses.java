package dev.descent.loss;

import dev.descent.tensor.CustomOp;
import dev.descent.tensor.DType;
import dev.descent.tensor.GradMode;
import dev.descent.tensor.Tensor;
import java.util.Arrays;

/**
 * Mean-squared error and binary cross-entropy with logits of float32 tensors against a target
 * of the same shape, each as one {@link CustomOp} (no weights), as PyTorch's fused kernels:
 * <pre>
 *   mse:    l = (x - y)^2,                          dx = (x - y) * (g * 2/n)      (2 for a sum)
 *   bce:    l = (1 - y) x + softplus(-x),           dx = (sigmoid(x) - y) * g / n (g for a sum)
 *   loss = sum(l) / n  (mean)  or  sum(l)
 * </pre>
 * The loss uses the composed path's operations in its order (element by element as
 * {@code (x - y) * (x - y)} and {@code ((-y) + 1) * x + softplus(-x)}, then the tensor's sum or
 * mean), so it has the same bits; the gradients follow PyTorch's
 * backward formulas above. For problems as small as a logistic regression on a batch of 32, the
 * composed losses' three to seven recorded operations were most of a step. They live here, with
 * the losses, through the public custom-op entry rather than inside the tensor package.
 */
final class FusedRegressionLosses {
    private FusedRegressionLosses() {}

    static Tensor mse(Tensor x, Tensor y, boolean mean) {
        float[] xs = floats(x), ys = floats(y);
        int n = xs.length;
        float[] l = new float[n];
        for (int i = 0; i < n; i++) {
            float d = xs[i] - ys[i];
            l[i] = d * d;
        }
        return CustomOp.apply("mseLoss", reduce(l, mean), g -> {
            float s = (float) g.item() * (float) (mean ? 2.0 / n : 2.0);
            Tensor gx = Tensor.empty(x.shape()); // also the base of the target's gradient
            float[] gxs = gx.data();
            for (int i = 0; i < n; i++) gxs[i] = (xs[i] - ys[i]) * s;
            return new Tensor[] {x.requiresGrad() ? gx : null, y.requiresGrad() ? gx.neg() : null};
        }, x, y);
    }

    static Tensor bceWithLogits(Tensor x, Tensor y, boolean mean) {
        float[] xs = floats(x), ys = floats(y);
        int n = xs.length;
        float[] l = new float[n];
        float[] softplusNeg;
        try (var scope = GradMode.noGrad()) {
            softplusNeg = floats(x.neg().softplus()); // the composed path's kernels, element by element
        }
        for (int i = 0; i < n; i++) l[i] = ((-ys[i]) + 1f) * xs[i] + softplusNeg[i];
        return CustomOp.apply("bceWithLogitsLoss", reduce(l, mean), g -> {
            float gv = (float) g.item();
            Tensor gx = x.sigmoid(); // rules run without recording: a fresh contiguous tensor of x's shape
            float[] gxs = gx.data();
            for (int i = 0; i < n; i++) {
                float v = (gxs[i] - ys[i]) * gv;
                gxs[i] = mean ? v / (float) n : v;
            }
            return new Tensor[] {gx, null};
        }, x, y);
    }

    /**
     * Whether the fused losses apply: float32 tensors of one shape, and (for the binary
     * cross-entropy, whose fused gradient covers the input only) a target without gradient.
     */
    static boolean applies(Tensor x, Tensor y, boolean targetGradientSupported) {
        return x.dtype() == DType.F32 && y.dtype() == DType.F32 && Arrays.equals(x.shape(), y.shape()) && x.numel() > 0
                && (targetGradientSupported || !y.requiresGrad());
    }

    /** The row-major values: the tensor's own array when it covers it exactly, else a copy. */
    private static float[] floats(Tensor t) {
        return t.isWholeF32() ? t.data() : t.toFloatArray();
    }

    /** The composed reductions' value of per-element losses (their sum or mean), recording nothing. */
    private static Tensor reduce(float[] l, boolean mean) {
        try (var scope = GradMode.noGrad()) {
            Tensor t = Tensor.of(l, l.length);
            return mean ? t.mean() : t.sum();
        }
    }
}
