package dev.descent.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link CapturedStep}'s guards and plan: a step of a new shape falls back to eager (captured)
 * and says why, a step that allocates differently from its capture leaves the plan, finishes
 * eagerly and says why; in every case the values and gradients equal a plain eager step's. The
 * plan shares buffers between allocations whose lifetimes do not overlap, and its buffers never
 * reach the storage pool.
 */
@ExtendWith(GlobalSettings.class)
class CapturedStepTest {
    private static final int IN = 64, HIDDEN = 64;

    /** Two layers, tanh and relu, summed; backward; returns the loss and leaves gradients in w1, w2. */
    private static double step(Tensor x, Tensor w1, Tensor w2, boolean extraOp) {
        w1.setGrad(null);
        w2.setGrad(null);
        Tensor h = x.matmul(w1).tanh();
        if (extraOp) h = h.mul(2.0);
        Tensor l = h.matmul(w2).relu().sum();
        l.backward();
        return l.item();
    }

    private static Tensor input(int rows, long seed) {
        return Tensor.randn(Generator.seeded(seed), rows, IN);
    }

    private record Result(double loss, float[] g1, float[] g2) {}

    private static Result eager(Tensor x, Tensor w1, Tensor w2, boolean extraOp) {
        double l = step(x, w1, w2, extraOp);
        return new Result(l, w1.grad().toFloatArray(), w2.grad().toFloatArray());
    }

    private static Result captured(CapturedStep c, Tensor x, Tensor w1, Tensor w2, boolean extraOp) {
        double l;
        try (var s = c.begin(CapturedStep.signature(x))) {
            l = step(x, w1, w2, extraOp);
        }
        return new Result(l, w1.grad().toFloatArray(), w2.grad().toFloatArray());
    }

    private static void assertSameResult(Result want, Result got, String what) {
        assertEquals(Double.doubleToLongBits(want.loss()), Double.doubleToLongBits(got.loss()), what + ": loss");
        assertArrayEquals(want.g1(), got.g1(), 0f, what + ": w1 gradient");
        assertArrayEquals(want.g2(), got.g2(), 0f, what + ": w2 gradient");
    }

    @Test
    void aNewShapeFallsBackToEagerWithItsReasonAndStaysCorrect() {
        Generator g = Generator.seeded(1);
        Tensor w1 = Tensor.randn(g, IN, HIDDEN).mul(0.1).requireGrad(), w2 = Tensor.randn(g, HIDDEN, 64).mul(0.1).requireGrad();
        w1 = w1.copy().requireGrad();
        w2 = w2.copy().requireGrad();
        try (CapturedStep c = CapturedStep.create()) {
            for (int i = 0; i < 3; i++) {
                Tensor x = input(64, 10 + i);
                assertSameResult(eager(x, w1, w2, false), captured(c, x, w1, w2, false), "step " + i);
                assertEquals(i == 0 ? CapturedStep.Mode.CAPTURED : CapturedStep.Mode.REPLAYED, c.lastMode(), "step " + i);
            }
            assertNull(c.lastReason(), "a replayed step has nothing to explain");
            Tensor other = input(48, 20);
            assertSameResult(eager(other, w1, w2, false), captured(c, other, w1, w2, false), "new shape");
            assertEquals(CapturedStep.Mode.CAPTURED, c.lastMode());
            assertTrue(c.lastReason().contains("F32[48, 64]") && c.lastReason().contains("F32[64, 64]"), c.lastReason());
            // both plans kept: the old shape replays again, and so does the new one
            Tensor back = input(64, 21);
            assertSameResult(eager(back, w1, w2, false), captured(c, back, w1, w2, false), "old shape again");
            assertEquals(CapturedStep.Mode.REPLAYED, c.lastMode());
            assertSameResult(eager(other, w1, w2, false), captured(c, other, w1, w2, false), "new shape again");
            assertEquals(CapturedStep.Mode.REPLAYED, c.lastMode());
            assertEquals(2, c.captures());
            assertEquals(4, c.replays());
        }
    }

    @Test
    void aStepThatAllocatesDifferentlyLeavesItsPlanAndSaysWhy() {
        Generator g = Generator.seeded(2);
        Tensor w1 = Tensor.randn(g, IN, HIDDEN).mul(0.1).requireGrad(), w2 = Tensor.randn(g, HIDDEN, 64).mul(0.1).requireGrad();
        try (CapturedStep c = CapturedStep.create()) {
            Tensor x = input(64, 3);
            captured(c, x, w1, w2, false);
            Result got = captured(c, x, w1, w2, true); // same signature, one more operation
            assertSameResult(eager(x, w1, w2, true), got, "diverged step");
            assertEquals(CapturedStep.Mode.DIVERGED, c.lastMode());
            assertTrue(c.lastReason().startsWith("replay left its plan: allocation "), c.lastReason());
            assertSameResult(eager(x, w1, w2, true), captured(c, x, w1, w2, true), "after divergence");
            assertEquals(CapturedStep.Mode.CAPTURED, c.lastMode());
            assertEquals("captured again after the last step diverged", c.lastReason());
        }
    }

    @Test
    void thePlanSharesBuffersAndKeepsThemFromThePool() {
        Generator g = Generator.seeded(3);
        Tensor w1 = Tensor.randn(g, IN, HIDDEN).mul(0.1).requireGrad(), w2 = Tensor.randn(g, HIDDEN, 64).mul(0.1).requireGrad();
        try (CapturedStep c = CapturedStep.create()) {
            Tensor x = input(64, 4);
            captured(c, x, w1, w2, false);
            // the backward pass's gradients die as it goes, so later ones reuse their storage
            assertTrue(c.bufferCount() < c.plannedAllocations(), c.bufferCount() + " buffers for " + c.plannedAllocations() + " allocations");
            captured(c, x, w1, w2, false);
            assertEquals(CapturedStep.Mode.REPLAYED, c.lastMode());
            long pooled = StoragePool.pooledFloats();
            w1.grad().release(); // a plan buffer (at least 4096 floats): its plan keeps it
            assertEquals(pooled, StoragePool.pooledFloats(), "a plan's buffer went to the pool");
        }
    }

    /**
     * The bookkeeping of a replayed step is a few small objects, whatever the step allocates: the
     * capture's records (a list, an identity map, two event arrays, about 1 KB) are made only
     * when capturing, and no per-allocation object is made. Measured with the JVM's per-thread
     * allocation counter over 10,000 replays of a plan of 8 allocations after warm-up; the bound,
     * 256 bytes per step, covers the session objects and its out-parameter (about 130 bytes
     * without escape analysis) and fails with the capture's records (measured 971 before).
     */
    @Test
    void aReplayedStepsBookkeepingAllocatesAlmostNothing() {
        var bean = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        if (!bean.isThreadAllocatedMemorySupported()) return;
        bean.setThreadAllocatedMemoryEnabled(true);
        try (CapturedStep c = CapturedStep.create()) {
            Runnable step = () -> {
                try (var s = c.begin("plan")) {
                    for (int i = 0; i < 8; i++) StepSession.take(16 + i, false); // planned storage: no array is made
                }
            };
            for (int i = 0; i < 20_000; i++) step.run();
            assertEquals(CapturedStep.Mode.REPLAYED, c.lastMode());
            long tid = Thread.currentThread().threadId();
            long before = bean.getThreadAllocatedBytes(tid);
            int steps = 10_000;
            for (int i = 0; i < steps; i++) step.run();
            long perStep = (bean.getThreadAllocatedBytes(tid) - before) / steps;
            assertTrue(perStep <= 256, "a replayed step's bookkeeping allocates " + perStep + " bytes");
        }
    }

    @Test
    void stepsDoNotNest() {
        try (CapturedStep a = CapturedStep.create(); CapturedStep b = CapturedStep.create(); var s = a.begin("x")) {
            assertThrows(IllegalStateException.class, () -> b.begin("y"));
        }
    }
}
