package dev.descent.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.tensor.kernel.KernelMode;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ArgumentsSource;

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

    @ParameterizedTest
    @ArgumentsSource(KernelMatrix.class)
    void forwardAndBackwardIgnoreThreadCountAndKernelMode(boolean vectorized, int threads) {
        assertTrue(KernelMode.vectorAvailable(), "tests run with --add-modules jdk.incubator.vector; the module is missing");
        float[][] reference = KernelMatrix.reference(ThreadDeterminismTest::pass);
        float[][] other = KernelMatrix.in(vectorized, threads, ThreadDeterminismTest::pass);
        String cell = (vectorized ? "vector" : "scalar") + " kernels on " + threads + " threads";
        for (int i = 0; i < reference.length; i++) assertArrayEquals(reference[i], other[i], "output " + i + ", " + cell);
    }
}
