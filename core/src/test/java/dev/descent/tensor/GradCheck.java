package dev.descent.tensor;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.Function;

/**
 * {@link GradientCheck} for tests: central finite differences in float64 (the reasoning behind
 * the tolerances is there), failing the test with the first disagreement; plus float64 inputs.
 */
public final class GradCheck {
    private GradCheck() {}

    /** Checks f's gradient with respect to every input (float64 tensors), failing the test on a disagreement. */
    public static void check(String name, Function<Tensor[], Tensor> f, Tensor... inputs) {
        GradientCheck.Result r = GradientCheck.check(name, f, inputs);
        if (!r.passed()) fail(r.message());
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
