package dev.descent.bench;

import static dev.descent.search.Dimension.*;

import dev.descent.search.Params;
import dev.descent.search.Parameter;
import dev.descent.search.SearchSpace;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The test problems of {@link SamplerBench}. scripts/bench_samplers_optuna.py defines the same
 * spaces and the same formulas for Optuna; change both together or the comparison is void.
 */
final class SamplerProblems {
    private SamplerProblems() {}

    /** A named search space and the objective (to minimize) over it, with its known minimum. */
    record Problem(String name, SearchSpace space, ToDoubleFunction<Params> f, double minimum) {}

    static final List<Problem> ALL = List.of(mixed4(), branin(), hartmann6());

    static Problem byName(String name) {
        return ALL.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown problem " + name + "; known: " + ALL.stream().map(Problem::name).toList()));
    }

    /**
     * Copied from core's TpeSamplerTest (the issue-5 acceptance test): a shifted sphere over one
     * uniform, one log-uniform, one int and one categorical dimension; minimum 0 at x = 1.5,
     * lr = 1e-3, units = 40, act = gelu.
     */
    static Problem mixed4() {
        var space = SearchSpace.of(
                Parameter.of("x", uniform(-5, 5)),
                Parameter.of("lr", logUniform(1e-6, 1)),
                Parameter.of("units", intRange(1, 128)),
                Parameter.of("act", categorical("relu", "tanh", "gelu", "sigmoid")));
        return new Problem("mixed4", space, p -> {
            double x = p.getDouble("x") - 1.5;
            double lr = Math.log10(p.getDouble("lr")) + 3;
            double u = (p.getInt("units") - 40) / 20.0;
            double act = p.getString("act").equals("gelu") ? 0 : 1;
            return x * x + lr * lr + u * u + act;
        }, 0.0);
    }

    /** Branin-Hoo on x1 in [-5, 10], x2 in [0, 15]: three global minima of 0.397887. */
    static Problem branin() {
        var space = SearchSpace.of(Parameter.of("x1", uniform(-5, 10)), Parameter.of("x2", uniform(0, 15)));
        return new Problem("branin", space, p -> {
            double x1 = p.getDouble("x1"), x2 = p.getDouble("x2");
            double b = 5.1 / (4 * Math.PI * Math.PI), c = 5 / Math.PI, t = 1 / (8 * Math.PI);
            double q = x2 - b * x1 * x1 + c * x1 - 6;
            return q * q + 10 * (1 - t) * Math.cos(x1) + 10;
        }, 0.397887);
    }

    private static final double[] H_ALPHA = {1.0, 1.2, 3.0, 3.2};
    private static final double[][] H_A = {
            {10, 3, 17, 3.5, 1.7, 8}, {0.05, 10, 17, 0.1, 8, 14}, {3, 3.5, 1.7, 10, 17, 8}, {17, 8, 0.05, 10, 0.1, 14}};
    private static final double[][] H_P = {
            {1312, 1696, 5569, 124, 8283, 5886}, {2329, 4135, 8307, 3736, 1004, 9991},
            {2348, 1451, 3522, 2883, 3047, 6650}, {4047, 8828, 8732, 5743, 1091, 381}};

    /** Hartmann-6 on [0, 1]^6: four local minima, global minimum -3.32237; uniform dims x0..x5. */
    static Problem hartmann6() {
        Parameter[] ps = new Parameter[6];
        for (int j = 0; j < 6; j++) ps[j] = Parameter.of("x" + j, uniform(0, 1));
        return new Problem("hartmann6", SearchSpace.of(ps), p -> {
            double f = 0;
            for (int i = 0; i < 4; i++) {
                double s = 0;
                for (int j = 0; j < 6; j++) {
                    double d = p.getDouble("x" + j) - 1e-4 * H_P[i][j];
                    s += H_A[i][j] * d * d;
                }
                f -= H_ALPHA[i] * Math.exp(-s);
            }
            return f;
        }, -3.32237);
    }
}
