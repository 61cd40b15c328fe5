package dev.descent.optim;

import dev.descent.tensor.FloatArrays;
import dev.descent.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Gradient clipping over all parameters together, as functions ({@code clipGradNorm},
 * {@code clipGradValue}, matching PyTorch 1.13's {@code torch.nn.utils.clip_grad_norm_} and
 * {@code clip_grad_value_}) and as optimizer transforms ({@link #byGlobalNorm}, {@link #byValue},
 * {@link #rejectNonFinite}).
 *
 * <h2>Clip by global norm</h2>
 * <pre>
 *   n_i   = || g_i ||_p                   per parameter (max |g_i| for p = infinity)
 *   total = || (n_1, ..., n_k) ||_p       the norm of all gradients as one vector
 *   coef  = max_norm / (total + 1e-6);    every g_i *= coef   only when coef &lt; 1
 * </pre>
 * Norms are accumulated in double and rounded to float32 where PyTorch holds a float32 tensor, so
 * the result does not depend on the order of summation or the thread count.
 *
 * <h2>Non-finite gradients</h2>
 * With {@code errorIfNonfinite} a NaN or infinite total norm raises a
 * {@link NonFiniteGradientException} naming the first parameter and element at fault, before any
 * gradient is changed. Without it (PyTorch's default) the gradients are scaled by the NaN
 * coefficient, as PyTorch does, and the non-finite norm is returned for the caller to see.
 */
public final class GradClip {
    private GradClip() {}

    /** Clips the gradients of named parameters to a global L2 norm; returns the norm before clipping. */
    public static double clipGradNorm(Map<String, Tensor> params, double maxNorm) {
        return clipGradNorm(params, maxNorm, 2.0, false);
    }

    /**
     * Clips by global p-norm ({@code Double.POSITIVE_INFINITY} for the max norm); returns the
     * total norm before clipping.
     */
    public static double clipGradNorm(Map<String, Tensor> params, double maxNorm, double normType, boolean errorIfNonfinite) {
        return clipGradNorm(of(params), maxNorm, normType, errorIfNonfinite);
    }

    /** As {@link #clipGradNorm(Map, double, double, boolean)} for an unnamed list (named "0", "1", ...). */
    public static double clipGradNorm(List<Tensor> params, double maxNorm, double normType, boolean errorIfNonfinite) {
        return clipGradNorm(of(Optimizers.named(params)), maxNorm, normType, errorIfNonfinite);
    }

    /** Clamps every gradient element to {@code [-clipValue, clipValue]} (NaN stays NaN). */
    public static void clipGradValue(Map<String, Tensor> params, double clipValue) {
        clipGradValue(of(params), clipValue);
    }

    /** As {@link #clipGradValue(Map, double)} for an unnamed list. */
    public static void clipGradValue(List<Tensor> params, double clipValue) {
        clipGradValue(of(Optimizers.named(params)), clipValue);
    }

    /** Throws {@link NonFiniteGradientException} naming the first parameter with a NaN or infinite gradient. */
    public static void checkFinite(Map<String, Tensor> params) {
        checkFinite(of(params));
    }

    // ------------------------------------------------------------------------------- transforms

    /** Optimizer transform: clip to a global L2 norm; fails on non-finite gradients. */
    public static GlobalNormClip byGlobalNorm(double maxNorm) {
        return new GlobalNormClip(maxNorm, 2.0, true);
    }

    /** Optimizer transform: clip to a global p-norm. */
    public static GlobalNormClip byGlobalNorm(double maxNorm, double normType, boolean errorIfNonfinite) {
        return new GlobalNormClip(maxNorm, normType, errorIfNonfinite);
    }

    /** Optimizer transform: clamp every gradient element to {@code [-clipValue, clipValue]}. */
    public static GradientTransform byValue(double clipValue) {
        Check.positive("clip_value", clipValue);
        return g -> clipGradValue(g, clipValue);
    }

    /** Optimizer transform: throw {@link NonFiniteGradientException} before a non-finite update. */
    public static GradientTransform rejectNonFinite() {
        return GradClip::checkFinite;
    }

    // ------------------------------------------------------------------------------- kernels

    static void validateNorm(double maxNorm, double normType) {
        Check.nonNegative("max_norm", maxNorm);
        if (!(normType > 0)) {
            throw new IllegalArgumentException("Invalid norm_type: " + normType + " (must be > 0, or infinity)");
        }
    }

    /**
     * The global p-norm of all gradients of named parameters (as clipGradNorm computes it, without
     * clipping): for logging how large the gradients are.
     */
    public static double totalNorm(Map<String, Tensor> params, double normType) {
        validateNorm(0, normType);
        return totalNorm(of(params), normType);
    }

    static double clipGradNorm(Gradients g, double maxNorm, double normType, boolean errorIfNonfinite) {
        validateNorm(maxNorm, normType);
        int k = g.size();
        if (k == 0) return 0.0;
        float total = totalNorm(g, normType);
        if (errorIfNonfinite && !Float.isFinite(total)) checkFinite(g);
        float coef = (1f / (total + 1e-6f)) * (float) maxNorm; // Python's max_norm / tensor is reciprocal() * scalar
        if (!(coef >= 1f)) { // coef < 1, or NaN (PyTorch then multiplies by NaN too)
            for (int j = 0; j < k; j++) {
                float[] a = g.grad(j);
                for (int i = 0; i < a.length; i++) a[i] = a[i] * coef;
            }
        }
        return total;
    }

    /** Norm of each gradient, then the norm of those norms, in float32 as torch.linalg.vector_norm does. */
    static float totalNorm(Gradients g, double normType) {
        int k = g.size();
        if (k == 0) return 0f;
        boolean inf = Double.isInfinite(normType);
        float total;
        if (inf) {
            float max = 0f;
            for (int j = 0; j < k; j++) {
                float n = 0f;
                for (float x : g.grad(j)) {
                    float a = Math.abs(x);
                    if (!(a <= n)) n = a; // NaN propagates, as torch.max does
                }
                if (!(n <= max)) max = n;
            }
            total = max;
        } else {
            double acc = 0;
            for (int j = 0; j < k; j++) {
                float n = (float) pNorm(g.grad(j), normType);
                acc += pow(Math.abs((double) n), normType);
            }
            total = (float) root(acc, normType);
        }
        return total;
    }

    private static double pNorm(float[] a, double p) {
        double acc = 0;
        // The common case as a vector kernel: a serial chain of double adds over every weight
        // cost 13% of an MLP training step when the trainer logs the norm each step.
        if (p == 2.0) return Math.sqrt(FloatArrays.sumOfSquares(a));
        for (float x : a) acc += pow(Math.abs((double) x), p);
        return root(acc, p);
    }

    private static double pow(double x, double p) {
        return p == 1.0 ? x : p == 2.0 ? x * x : Math.pow(x, p);
    }

    private static double root(double x, double p) {
        return p == 1.0 ? x : p == 2.0 ? Math.sqrt(x) : Math.pow(x, 1.0 / p);
    }

    static void clipGradValue(Gradients g, double clipValue) {
        Check.positive("clip_value", clipValue);
        float hi = (float) clipValue;
        float lo = -hi;
        for (int j = 0; j < g.size(); j++) {
            float[] a = g.grad(j);
            for (int i = 0; i < a.length; i++) {
                float x = a[i];
                a[i] = x < lo ? lo : x > hi ? hi : x;
            }
        }
    }

    static void checkFinite(Gradients g) {
        for (int j = 0; j < g.size(); j++) {
            float[] a = g.grad(j);
            for (int i = 0; i < a.length; i++) {
                if (!Float.isFinite(a[i])) throw new NonFiniteGradientException(g.name(j), i, a[i]);
            }
        }
    }

    /** The gradients of named tensors that have one. */
    static Gradients of(Map<String, Tensor> params) {
        List<String> names = new ArrayList<>(params.size());
        List<float[]> grads = new ArrayList<>(params.size());
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor grad = e.getValue().grad();
            if (grad == null) continue;
            names.add(e.getKey());
            grads.add(Optimizer.gradData(e.getKey(), grad));
        }
        return new Gradients() {
            @Override public int size() { return names.size(); }
            @Override public String name(int i) { return names.get(i); }
            @Override public float[] grad(int i) { return grads.get(i); }
        };
    }
}
