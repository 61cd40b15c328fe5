package dev.descent.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.descent.tensor.kernel.KernelMode;
import dev.descent.tensor.kernel.Parallel;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A whole forward and backward pass gives the same bits on 1, 2 and 3 threads, and with the
 * vector kernels on or off. Sizes are large enough that the elementwise kernels, reductions and
 * matrix multiply all split their work across threads.
 */
@ExtendWith(GlobalSettings.class)
class ThreadDeterminismTest {
    private static float[][] pass() {
        Generator g = Generator.seeded(9);
        Tensor x = Tensor.randn(g, 256, 300);
        Tensor w = Tensor.randn(g, 300, 129).mul(0.05).detach().requireGrad();
        Tensor b = Tensor.randn(g, 129).detach().requireGrad();
        Tensor h = x.matmul(w).add(b).tanh();
        Tensor loss = h.logSoftmax(1).mean().add(h.exp().sum(0, false).mean());
        loss.backward();
        return new float[][] {h.toFloatArray(), new float[] {(float) loss.item()}, w.grad().toFloatArray(), b.grad().toFloatArray()};
    }

    private static void sameOnAllThreadCounts(Supplier<float[][]> run) {
        Parallel.setThreads(1);
        float[][] reference = run.get();
        for (int t : new int[] {2, 3}) {
            Parallel.setThreads(t);
            float[][] other = run.get();
            for (int i = 0; i < reference.length; i++) assertArrayEquals(reference[i], other[i], "output " + i + " on " + t + " threads");
        }
    }

    @Test
    void forwardAndBackwardIgnoreThreadCount() {
        sameOnAllThreadCounts(ThreadDeterminismTest::pass);
    }

    @Test
    void vectorAndScalarKernelsAgreeBitForBit() {
        if (!KernelMode.vectorAvailable()) throw new AssertionError("tests run with --add-modules jdk.incubator.vector; the module is missing");
        KernelMode.setVectorized(true);
        float[][] vector = pass();
        KernelMode.setVectorized(false);
        float[][] scalar = pass();
        for (int i = 0; i < vector.length; i++) assertArrayEquals(scalar[i], vector[i], "output " + i);
    }
}
