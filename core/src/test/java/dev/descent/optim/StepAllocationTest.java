package dev.descent.optim;

import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A step allocates nothing in proportion to the parameters: the update rules work in place on
 * preallocated state. Measured with the JVM's per-thread allocation counter after warm-up; the
 * bound (48 bytes per step on average) allows for the step's {@link StepReport} (32 bytes, when
 * escape analysis does not remove it) and a stray allocation of the JVM itself, and is about 5000
 * times smaller than one copy of the 64k-element parameter.
 */
class StepAllocationTest {

    @Test
    void stepsDoNotAllocateBuffers() {
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (!bean.isThreadAllocatedMemorySupported()) return;
        bean.setThreadAllocatedMemoryEnabled(true);
        for (OptimizerSpec spec : List.of(Optimizers.adamW(1e-3, 0.01).clipByGlobalNorm(1.0), Optimizers.sgd(0.1, 0.9),
                Optimizers.nadam(1e-3), Optimizers.radam(1e-3), Optimizers.rmsprop(1e-2, 0.99, 1e-8, 0.9, true, 0))) {
            Map<String, Tensor> params = new LinkedHashMap<>();
            params.put("w", Tensor.full(0.5f, 256, 256));
            params.put("b", Tensor.full(0.1f, 256));
            for (Tensor p : params.values()) p.setGrad(Tensor.full(0.01f, p.shape()));
            Optimizer opt = spec.bind(params);
            for (int i = 0; i < 2000; i++) opt.step(); // warm up the JIT
            long tid = Thread.currentThread().threadId();
            long before = bean.getThreadAllocatedBytes(tid);
            int steps = 500;
            for (int i = 0; i < steps; i++) opt.step();
            long perStep = (bean.getThreadAllocatedBytes(tid) - before) / steps;
            System.out.println(spec.rule().name() + ": " + perStep + " bytes allocated per step");
            assertTrue(perStep <= 48, spec.rule().name() + " allocates " + perStep + " bytes per step");
        }
    }
}
