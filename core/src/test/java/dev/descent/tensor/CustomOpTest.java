package dev.descent.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The public custom-op entry and its gradient check: an operation defined by a value and a
 * vector-Jacobian rule joins autograd (gradients reach the inputs, through further operations,
 * and add up with other uses); {@link GradientCheck} accepts a correct rule and names the element
 * where a wrong one fails; a rule of the wrong arity or shape, and a value that records its own
 * graph, are refused with the operation's name.
 */
class CustomOpTest {
    /** x * y^2 elementwise from raw arrays, with its rule: d/dx = y^2, d/dy = 2 x y. */
    private static Tensor xTimesYSquared(Tensor x, Tensor y, boolean wrongRule) {
        double[] xs = x.toDoubleArray(), ys = y.toDoubleArray(), v = new double[xs.length];
        for (int i = 0; i < v.length; i++) v[i] = xs[i] * ys[i] * ys[i];
        return CustomOp.apply("xTimesYSquared", Tensor.of(v, x.shape()), g -> new Tensor[] {
                g.mul(y).mul(y),
                g.mul(x).mul(y).mul(wrongRule ? 1.0 : 2.0)}, x, y);
    }

    @Test
    void aCustomOpWithACorrectRulePassesTheGradientCheckInsideALargerExpression() {
        Generator gen = Generator.seeded(1);
        GradientCheck.Result r = GradientCheck.check("custom",
                in -> xTimesYSquared(in[0].tanh(), in[1], false).add(in[0]).sum(1, false),
                GradCheck.randn(gen, 3, 4), GradCheck.randn(gen, 3, 4));
        assertTrue(r.passed(), r.message());
        assertNull(r.message());
    }

    @Test
    void theGradientCheckNamesTheElementAWrongRuleGetsWrong() {
        Generator gen = Generator.seeded(2);
        GradientCheck.Result r = GradientCheck.check("wrong", in -> xTimesYSquared(in[0], in[1], true),
                GradCheck.randn(gen, 2, 3), GradCheck.randn(gen, 2, 3));
        assertFalse(r.passed());
        assertTrue(r.message().startsWith("wrong: d/d input1[0] analytic "), r.message());
    }

    @Test
    void gradientsOfSeveralUsesAddUp() {
        Tensor x = Tensor.of(new double[] {1, 2, 3}, 3).requireGrad(), y = Tensor.of(new double[] {2, 2, 2}, 3);
        xTimesYSquared(x, y, false).add(xTimesYSquared(x, y, false)).sum().backward();
        assertArrayEquals(new double[] {8, 8, 8}, x.grad().toDoubleArray(), 0.0);
        assertNull(y.grad(), "y needs no gradient");
    }

    @Test
    void withoutAnInputThatNeedsGradientsNothingIsRecorded() {
        Tensor x = Tensor.of(new double[] {1, 2}, 2), y = Tensor.of(new double[] {3, 4}, 2);
        Tensor out = xTimesYSquared(x, y, false);
        assertFalse(out.requiresGrad());
        assertArrayEquals(new double[] {9, 32}, out.toDoubleArray(), 0.0);
    }

    @Test
    void badRulesAndValuesAreRefusedWithTheOperationsName() {
        Tensor x = Tensor.of(new double[] {1, 2}, 2).requireGrad();
        Tensor arity = CustomOp.apply("twoGrads", Tensor.of(new double[] {1, 2}, 2), g -> new Tensor[] {g, g}, x);
        var e1 = assertThrows(IllegalStateException.class, () -> arity.sum().backward());
        assertEquals("twoGrads: the vjp returned 2 gradients for 1 inputs", e1.getMessage());
        Tensor shape = CustomOp.apply("badShape", Tensor.of(new double[] {1, 2}, 2), g -> new Tensor[] {g.sum()}, x);
        var e2 = assertThrows(IllegalStateException.class, () -> shape.sum().backward());
        assertEquals("badShape: the vjp returned a gradient of shape [] for input 0 of shape [2]", e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class, () -> CustomOp.apply("recorded", x.mul(2.0), g -> new Tensor[] {g}, x));
        assertTrue(e3.getMessage().startsWith("recorded: the value records a graph of its own"), e3.getMessage());
    }
}
