package dev.descent.tensor;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Finite-difference checks of every elementwise primitive over seeded shapes: equal shapes,
 * broadcast shapes (row, column, scalar, leading dimensions), and edge sizes (1, odd lengths,
 * lengths that are not a multiple of the vector width).
 */
class ElementwiseGradientTest {
    /** Pairs of shapes that broadcast, including edge sizes 1, 7, 17 and 33. */
    static final List<int[][]> BINARY_SHAPES = List.of(
            new int[][] {{5}, {5}},
            new int[][] {{3, 17}, {3, 17}},
            new int[][] {{3, 17}, {17}},
            new int[][] {{4, 1}, {1, 7}},
            new int[][] {{2, 3, 5}, {3, 1}},
            new int[][] {{1}, {2, 33}},
            new int[][] {{6, 1, 3}, {}},
            new int[][] {{1, 1}, {1, 1}});

    static final List<int[]> UNARY_SHAPES = List.of(new int[] {1}, new int[] {7}, new int[] {3, 17}, new int[] {2, 3, 5}, new int[] {});

    private static void binary(String name, Function<Tensor[], Tensor> f, double lo, double hi) {
        Generator gen = Generator.seeded(name.hashCode());
        for (int[][] shapes : BINARY_SHAPES) {
            GradCheck.check(name, f, GradCheck.uniform(gen, lo, hi, shapes[0]), GradCheck.uniform(gen, lo, hi, shapes[1]));
            GradCheck.check(name + " (swapped)", f, GradCheck.uniform(gen, lo, hi, shapes[1]), GradCheck.uniform(gen, lo, hi, shapes[0]));
        }
    }

    private static void unary(String name, Function<Tensor, Tensor> f, double lo, double hi) {
        Generator gen = Generator.seeded(name.hashCode());
        for (int[] shape : UNARY_SHAPES) {
            GradCheck.check(name, in -> f.apply(in[0]), GradCheck.uniform(gen, lo, hi, shape));
        }
    }

    @Test void add() { binary("add", in -> in[0].add(in[1]), -2, 2); }
    @Test void sub() { binary("sub", in -> in[0].sub(in[1]), -2, 2); }
    @Test void mul() { binary("mul", in -> in[0].mul(in[1]), -2, 2); }
    @Test void div() { binary("div", in -> in[0].div(in[1]), 0.5, 2); }
    @Test void pow() { binary("pow", in -> in[0].pow(in[1]), 0.5, 2); }
    @Test void maximum() { binary("maximum", in -> in[0].maximum(in[1]), -2, 2); }
    @Test void minimum() { binary("minimum", in -> in[0].minimum(in[1]), -2, 2); }

    @Test void neg() { unary("neg", Tensor::neg, -2, 2); }
    @Test void exp() { unary("exp", Tensor::exp, -3, 3); }
    @Test void log() { unary("log", Tensor::log, 0.1, 4); }
    @Test void sqrt() { unary("sqrt", Tensor::sqrt, 0.1, 4); }
    @Test void abs() { unary("abs", Tensor::abs, -2, 2); }
    @Test void relu() { unary("relu", Tensor::relu, -2, 2); }

    /**
     * At the kink and at special values the relu gradient is PyTorch's threshold_backward,
     * {@code x <= 0 ? 0 : g}: 0 at x = +-0 and for negative x even when g is infinite or NaN, g
     * passed on for a NaN x; float32 and float64 alike.
     */
    @Test
    void reluGradientAtTheKinkAndSpecialValues() {
        float nan = Float.NaN, inf = Float.POSITIVE_INFINITY;
        float[] x = {-1f, 0f, -0f, 2f, nan, -3f, 1e-40f};
        float[] g = {inf, 5f, 5f, 3f, 7f, nan, -2f};
        float[] expected = {0f, 0f, 0f, 3f, 7f, 0f, -2f};
        for (boolean f64 : new boolean[] {false, true}) {
            Tensor in = Tensor.of(x, x.length), up = Tensor.of(g, g.length);
            if (f64) {
                in = in.toF64();
                up = up.toF64();
            }
            in.requireGrad();
            in.relu().mul(up).sum().backward();
            float[] got = in.grad().toFloatArray();
            for (int i = 0; i < x.length; i++) {
                if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(got[i])) {
                    throw new AssertionError((f64 ? "float64" : "float32") + " relu gradient at x=" + x[i] + ", g=" + g[i]
                            + ": expected " + expected[i] + ", got " + got[i]);
                }
            }
        }
    }
    @Test void sigmoid() { unary("sigmoid", Tensor::sigmoid, -6, 6); }
    @Test void tanh() { unary("tanh", Tensor::tanh, -3, 3); }
    @Test void erf() { unary("erf", Tensor::erf, -3.5, 3.5); }
    @Test void softplus() { unary("softplus", Tensor::softplus, -5, 5); }
    @Test void powScalar() { unary("pow 3", x -> x.pow(3.0), -2, 2); }
    @Test void clamp() { unary("clamp", x -> x.clamp(-0.5, 0.7), -2, 2); }
    @Test void clampLowerOnly() { unary("clamp lower", x -> x.clamp(-0.5, Double.NaN), -2, 2); }

    @Test
    void where() {
        Generator gen = Generator.seeded(11);
        Tensor cond = GradCheck.uniform(gen, -1, 1, 3, 5).gt(0.0);
        GradCheck.check("where", in -> Tensor.where(cond, in[0], in[1]), GradCheck.randn(gen, 3, 5), GradCheck.randn(gen, 5));
    }

    @Test
    void compositeChainReusesInputs() {
        // x used several times: gradients from every use must add up.
        Generator gen = Generator.seeded(12);
        GradCheck.check("x*x + exp(x)/x", in -> in[0].mul(in[0]).add(in[0].exp().div(in[0])), GradCheck.uniform(gen, 0.5, 2, 4, 3));
    }
}
