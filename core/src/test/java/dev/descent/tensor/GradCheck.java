package dev.descent.tensor;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.Function;

/**
 * Central finite-difference gradient check in double precision.
 *
 * <p>The function's output is contracted with a fixed random weight tensor w, L = sum(w * f(x)),
 * so one backward pass checks a random vector-Jacobian product of every output at once. Each
 * input element is perturbed by +-h and (L(x+h) - L(x-h)) / 2h is compared with the analytic
 * gradient. With h = 1e-6 in float64 the truncation error is O(h^2 f''') ~ 1e-12 and the rounding
 * error about eps * |L| / h ~ 1e-9 for |L| ~ 10, so agreement within 1e-6 absolute plus 1e-5
 * relative separates a correct rule from a wrong one (a wrong rule is off by O(1)).
 */
public final class GradCheck {
    static final double H = 1e-6;
    static final double ATOL = 1e-6;
    static final double RTOL = 1e-5;

    private GradCheck() {}

    /** Checks f's gradient with respect to every input; inputs must be float64 tensors. */
    public static void check(String name, Function<Tensor[], Tensor> f, Tensor... inputs) {
        Tensor[] leaves = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i].dtype() != DType.F64) throw new IllegalArgumentException("gradient checks run in float64");
            leaves[i] = inputs[i].copy().requireGrad();
        }
        Tensor out = f.apply(leaves);
        Generator gen = Generator.seeded(name.hashCode());
        Tensor w = Tensor.randn(gen, out.shape()).toF64();
        out.mul(w).sum().backward();
        for (int i = 0; i < leaves.length; i++) {
            double[] x = leaves[i].data64();
            Tensor g = leaves[i].grad();
            double[] analytic = g == null ? new double[x.length] : g.toDoubleArray();
            for (int j = 0; j < x.length; j++) {
                double keep = x[j];
                x[j] = keep + H;
                double plus = evaluate(f, leaves, w);
                x[j] = keep - H;
                double minus = evaluate(f, leaves, w);
                x[j] = keep;
                double numeric = (plus - minus) / (2 * H);
                if (!(Math.abs(numeric - analytic[j]) <= ATOL + RTOL * Math.abs(numeric))) {
                    fail(name + ": d/d input" + i + "[" + j + "] analytic " + analytic[j] + " vs numeric " + numeric
                            + " (input shape " + Shapes.format(leaves[i].shape()) + ")");
                }
            }
        }
    }

    private static double evaluate(Function<Tensor[], Tensor> f, Tensor[] leaves, Tensor w) {
        try (var scope = GradMode.noGrad()) {
            return f.apply(leaves).mul(w).sum().item();
        }
    }

    /** A float64 tensor of standard normal values. */
    public static Tensor randn(Generator gen, int... shape) {
        return Tensor.randn(gen, shape).toF64();
    }

    /** A float64 tensor of values in [lo, hi). */
    public static Tensor uniform(Generator gen, double lo, double hi, int... shape) {
        double[] v = new double[Shapes.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * gen.nextDouble();
        return Tensor.of(v, shape);
    }
}
