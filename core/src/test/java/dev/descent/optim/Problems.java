package dev.descent.optim;

import dev.descent.tensor.Tensor;

/** Test objectives with analytic float32 gradients, evaluated on a parameter tensor. */
final class Problems {
    private Problems() {}

    /** Curvatures of the quadratic: condition number 20. */
    static final float[] CURVATURE = {0.25f, 1f, 2f, 5f};
    /** Minimizer of the quadratic. */
    static final float[] TARGET = {1f, -2f, 3f, 0.5f};

    /** f(x) = sum c_i (x_i - t_i)^2; sets x.grad to 2 c_i (x_i - t_i) and returns f. */
    static double quadratic(Tensor x) {
        float[] v = x.data();
        float[] g = new float[v.length];
        double f = 0;
        for (int i = 0; i < v.length; i++) {
            float d = v[i] - TARGET[i];
            f += CURVATURE[i] * d * d;
            g[i] = 2f * CURVATURE[i] * d;
        }
        x.setGrad(Tensor.of(g, v.length));
        return f;
    }

    /** f(x, y) = (1 - x)^2 + 100 (y - x^2)^2, minimum 0 at (1, 1); sets the gradient. */
    static double rosenbrock(Tensor xy) {
        float[] v = xy.data();
        float x = v[0];
        float y = v[1];
        float r = y - x * x;
        float gx = -2f * (1f - x) - 400f * x * r;
        float gy = 200f * r;
        xy.setGrad(Tensor.of(new float[] {gx, gy}, 2));
        return (1 - x) * (1 - x) + 100.0 * r * r;
    }
}
