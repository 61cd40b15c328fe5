package dev.descent.tensor;

import java.util.function.Function;

/**
 * Checks a function's gradients (a {@link CustomOp}'s rule, say) against central finite
 * differences in float64, as PyTorch's {@code torch.autograd.gradcheck}.
 *
 * <p>The function's output is contracted with a fixed random weight tensor w, L = sum(w * f(x)),
 * so one backward pass checks a random vector-Jacobian product of every output at once. Each
 * input element is perturbed by +-h and (L(x+h) - L(x-h)) / 2h is compared with the analytic
 * gradient. With h = 1e-6 in float64 the truncation error is O(h^2 f''') ~ 1e-12 and the rounding
 * error about eps * |L| / h ~ 1e-9 for |L| ~ 10, so agreement within 1e-6 absolute plus 1e-5
 * relative separates a correct rule from a wrong one (a wrong rule is off by O(1)). The function
 * must be smooth near the inputs (no kink of relu or max within h of an input).
 */
public final class GradientCheck {
    /** The finite-difference step. */
    public static final double H = 1e-6;
    /** Absolute tolerance. */
    public static final double ATOL = 1e-6;
    /** Relative tolerance (of the numeric derivative). */
    public static final double RTOL = 1e-5;

    private GradientCheck() {}

    /**
     * The outcome: {@code passed}, and otherwise which element disagreed and by how much.
     *
     * @param passed  whether every element agreed within the tolerances
     * @param message the first disagreement ("d/d input0[3] analytic ... vs numeric ..."), or null
     */
    public record Result(boolean passed, String message) {}

    /**
     * Checks f's gradient with respect to every input. The inputs must be float64 tensors (they are
     * copied, so the caller's are untouched); {@code name} seeds the contraction weights and
     * prefixes the message.
     */
    public static Result check(String name, Function<Tensor[], Tensor> f, Tensor... inputs) {
        Tensor[] leaves = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i].dtype() != DType.F64) {
                throw new IllegalArgumentException(name + ": gradient checks run in float64; input " + i + " is " + inputs[i].dtype());
            }
            leaves[i] = inputs[i].copy().requireGrad();
        }
        Tensor out = f.apply(leaves);
        Tensor w = Tensor.randn(Generator.seeded(name.hashCode()), out.shape()).toF64();
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
                    return new Result(false, name + ": d/d input" + i + "[" + j + "] analytic " + analytic[j] + " vs numeric " + numeric
                            + " (input shape " + Shapes.format(leaves[i].shape()) + ")");
                }
            }
        }
        return new Result(true, null);
    }

    private static double evaluate(Function<Tensor[], Tensor> f, Tensor[] leaves, Tensor w) {
        try (var scope = GradMode.noGrad()) {
            return f.apply(leaves).mul(w).sum().item();
        }
    }
}
