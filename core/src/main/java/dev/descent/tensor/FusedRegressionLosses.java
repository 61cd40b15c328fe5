package dev.descent.tensor;

import dev.descent.tensor.kernel.FloatMath;
import dev.descent.tensor.kernel.Kernels;
import dev.descent.tensor.kernel.UnaryOp;
import java.util.Arrays;

/**
 * Mean-squared error and binary cross-entropy with logits of float32 tensors against a target
 * of the same shape, each as one recorded operation (no weights), as PyTorch's fused kernels:
 * <pre>
 *   mse:    l = (x - y)^2,                          dx = (x - y) * (g * 2/n)      (2 for a sum)
 *   bce:    l = (1 - y) x + softplus(-x),           dx = (sigmoid(x) - y) * g / n (g for a sum)
 *   loss = sum(l) / n  (mean)  or  sum(l)
 * </pre>
 * The loss uses the composed path's operations in its order (element by element as
 * {@code (x - y) * (x - y)} and {@code ((-y) + 1) * x + softplus(-x)}, the sum in double over the
 * fixed partials, then the division), so it has the same bits; the gradients follow PyTorch's
 * backward formulas above. For problems as small as a logistic regression on a batch of 32, the
 * composed losses' three to seven recorded operations were most of a step.
 */
final class FusedRegressionLosses {
    private FusedRegressionLosses() {}

    static Tensor mse(Tensor x, Tensor y, boolean mean) {
        Tensor xc = contiguous(x), yc = contiguous(y);
        int n = x.numel;
        float[] l = new float[n];
        for (int i = 0; i < n; i++) {
            float d = xc.f[xc.offset + i] - yc.f[yc.offset + i];
            l[i] = d * d;
        }
        return Ops.record(reduce(l, mean), "mseLoss", g -> {
            float s = g.f[g.offset] * (float) (mean ? 2.0 / n : 2.0);
            Tensor gx = Tensor.allocateOverwritten(DType.F32, x.shape); // also the base of the target's gradient
            for (int i = 0; i < n; i++) gx.f[i] = (xc.f[xc.offset + i] - yc.f[yc.offset + i]) * s;
            Tensor gy = y.requiresGrad() ? Ops.map(UnaryOp.NEG, gx) : null;
            return new Tensor[] {x.requiresGrad() ? gx : null, gy};
        }, x, y);
    }

    static Tensor bceWithLogits(Tensor x, Tensor y, boolean mean) {
        Tensor xc = contiguous(x), yc = contiguous(y);
        int n = x.numel;
        float[] l = new float[n];
        for (int i = 0; i < n; i++) {
            float xv = xc.f[xc.offset + i], yv = yc.f[yc.offset + i];
            l[i] = ((-yv) + 1f) * xv + FloatMath.softplus(-xv);
        }
        return Ops.record(reduce(l, mean), "bceWithLogitsLoss", g -> {
            float gv = g.f[g.offset];
            Tensor gx = Tensor.allocateOverwritten(DType.F32, x.shape);
            for (int i = 0; i < n; i++) {
                float v = (FloatMath.sigmoid(xc.f[xc.offset + i]) - yc.f[yc.offset + i]) * gv;
                gx.f[i] = mean ? v / (float) n : v;
            }
            return new Tensor[] {gx, null};
        }, x, y);
    }

    /**
     * Whether the fused losses apply: float32 tensors of one shape, and (for the binary
     * cross-entropy, whose fused gradient covers the input only) a target without gradient.
     */
    static boolean applies(Tensor x, Tensor y, boolean targetGradientSupported) {
        return x.dtype == DType.F32 && y.dtype == DType.F32 && Arrays.equals(x.shape, y.shape) && x.numel > 0
                && (targetGradientSupported || !y.requiresGrad());
    }

    private static Tensor contiguous(Tensor t) {
        return t.isContiguous() ? t : t.contiguousCopy();
    }

    /**
     * The composed reductions' value of per-element losses (also the fused cross-entropy's): the
     * double sum over fixed partials, rounded, then / n for the mean.
     */
    static Tensor reduce(float[] l, boolean mean) {
        float total = (float) Kernels.sum(l, 0, l.length);
        return Tensor.scalar(mean ? total / (float) l.length : total);
    }
}
