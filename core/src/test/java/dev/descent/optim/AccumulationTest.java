package dev.descent.optim;

import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gradient accumulation against what a PyTorch user writes by hand:
 * {@code (loss / k).backward()} per micro-batch and {@code step(); zero_grad()} every k-th.
 */
class AccumulationTest {

    static final float[][] BATCHES = {{0.5f, -1f, 2f}, {1.5f, 0.25f, -0.75f}, {-2f, 1f, 0.1f}, {0.3f, 0.3f, -3f},
                                      {1f, 2f, 3f}, {-0.5f, -0.5f, 0.5f}, {0.7f, -1.1f, 0.2f}, {2.5f, 0f, -1f}};

    /** Micro-batch loss sum((w - x)^2), by autograd. */
    static Tensor loss(Tensor w, float[] x) {
        return w.sub(Tensor.vector(x)).pow(2).sum();
    }

    static float[] manual(int k, OptimizerSpec spec) {
        Tensor w = Tensor.vector(0.1f, 0.2f, 0.3f).requireGrad();
        Optimizer opt = spec.bind(List.of(w));
        for (int i = 0; i < BATCHES.length; i++) {
            loss(w, BATCHES[i]).div(k).backward();
            if ((i + 1) % k == 0) {
                opt.step();
                opt.zeroGrad();
            }
        }
        return w.data();
    }

    static float[] accumulated(int k, OptimizerSpec spec) {
        Tensor w = Tensor.vector(0.1f, 0.2f, 0.3f).requireGrad();
        Optimizer opt = spec.accumulate(Accumulation.every(k)).bind(List.of(w));
        for (float[] batch : BATCHES) {
            loss(w, batch).backward();
            opt.step();
            opt.zeroGrad();
        }
        assertEquals(BATCHES.length / k, opt.stepCount());
        return w.data();
    }

    @Test
    void matchesManualLossOverKBitForBitWhenKIsAPowerOfTwo() {
        for (OptimizerSpec spec : List.of(Optimizers.sgd(0.1, 0.9), Optimizers.adam(0.05), Optimizers.lion(0.01, 0.1))) {
            assertArrayEquals(manual(4, spec), accumulated(4, spec), spec.rule().name());
            assertArrayEquals(manual(2, spec), accumulated(2, spec), spec.rule().name());
        }
    }

    @Test
    void matchesManualLossOverKToRoundingOtherwise() {
        // k = 3: two updates from the first six micro-batches; 1/3 is inexact in float32
        OptimizerSpec spec = Optimizers.adam(0.05);
        float[] a = manual(3, spec);
        float[] b = accumulated(3, spec);
        for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-6 * Math.max(1, Math.abs(a[i])));
    }

    @Test
    void stepsOnlyEveryKthCallAndKeepsGradientsUntilThen() {
        Tensor w = Tensor.vector(1f, 1f).requireGrad();
        Optimizer opt = Optimizers.sgd(1.0).accumulate(Accumulation.every(3)).bind(List.of(w));
        for (int i = 0; i < 2; i++) {
            w.mul(Tensor.vector(1f, 2f)).sum().backward();
            assertFalse(opt.step().applied(), "micro-batch " + (i + 1) + " of 3 does not update");
            opt.zeroGrad();
            assertNotNull(w.grad(), "zeroGrad keeps gradients mid-accumulation");
            assertTrue(opt.isAccumulating());
            assertArrayEquals(new float[] {1f, 1f}, w.data());
        }
        assertEquals(0, opt.stepCount());
        w.mul(Tensor.vector(1f, 2f)).sum().backward();
        assertTrue(opt.step().applied());
        assertArrayEquals(new float[] {0f, -1f}, w.data(), "mean gradient (1, 2) applied once");
        opt.zeroGrad();
        assertNull(w.grad());
        assertEquals(1, opt.stepCount());
    }

    @Test
    void sumModeDoesNotDivideAndClippingSeesTheAccumulatedGradient() {
        Tensor w = Tensor.vector(0f, 0f).requireGrad();
        Optimizer opt = Optimizers.sgd(1.0).accumulate(Accumulation.sum(2)).clipByGlobalNorm(100.0).bind(List.of(w));
        StepReport last = null;
        for (int i = 0; i < 2; i++) {
            w.mul(Tensor.vector(3f, 4f)).sum().backward();
            last = opt.step();
            opt.zeroGrad();
        }
        assertArrayEquals(new float[] {-6f, -8f}, w.data());
        assertEquals(10.0, last.gradNorm(), 1e-6, "the step's report carries the clip's norm of the summed gradient");

        Tensor v = Tensor.vector(0f, 0f).requireGrad();
        Optimizer mean = Optimizers.sgd(1.0).accumulate(Accumulation.every(2)).clipByGlobalNorm(100.0).bind(List.of(v));
        StepReport first = null, second = null;
        for (int i = 0; i < 2; i++) {
            v.mul(Tensor.vector(3f, 4f)).sum().backward();
            if (i == 0) first = mean.step();
            else second = mean.step();
            mean.zeroGrad();
        }
        assertTrue(Double.isNaN(first.gradNorm()) && !first.applied(), "a micro-batch reports no norm: " + first);
        assertEquals(5.0, second.gradNorm(), 1e-6, "clipping applies to the averaged gradient");
    }

    @Test
    void invalidAccumulationIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Accumulation.every(0));
        assertTrue(e.getMessage().contains("every"), e.getMessage());
    }
}
