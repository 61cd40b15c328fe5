package dev.descent.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.descent.tensor.GlobalSettings;
import dev.descent.tensor.KernelMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * {@link Kernels#unary}, {@link Kernels#binary} and {@link Kernels#binaryScalar} on arrays long
 * enough to be split over threads (more than 3 * 2^15 elements, so 2 or 3 chunks of at least the
 * parallel grain, with boundaries that are not multiples of the vector length) give the same bits
 * with 1, 2 and 3 threads, and in scalar and vector mode. NaNs are compared as values (any NaN
 * equals any NaN) for the reason given in {@link KernelParityTest}; the unary results of
 * {@link FloatMath} are compared in raw bits.
 */
@ExtendWith(GlobalSettings.class)
class KernelThreadDeterminismTest {
    private static final int N = 3 * (1 << 15) + 12345;

    /** The kernel gives the same bits in this cell of the matrix as in its reference cell (scalar, 1 thread). */
    private static void sameAsReference(String what, boolean rawNaN, boolean vectorized, int threads, Supplier<float[]> kernel) {
        float[] reference = KernelMatrix.reference(kernel), out = KernelMatrix.in(vectorized, threads, kernel);
        for (int i = 0; i < out.length; i++) {
            int a = rawNaN ? Float.floatToRawIntBits(reference[i]) : Float.floatToIntBits(reference[i]);
            int b = rawNaN ? Float.floatToRawIntBits(out[i]) : Float.floatToIntBits(out[i]);
            if (a != b) {
                throw new AssertionError(what + " at " + i + ": " + reference[i] + " (scalar, 1 thread) vs " + out[i] + " ("
                        + (vectorized ? "vector" : "scalar") + ", " + threads + " threads)");
            }
        }
    }

    @ParameterizedTest
    @ArgumentsSource(KernelMatrix.class)
    void unaryOps(boolean vectorized, int threads) {
        SplittableRandom rnd = new SplittableRandom(11);
        float[] x = KernelParityTest.data(rnd, N + 3);
        for (UnaryOp op : UnaryOp.values()) {
            sameAsReference(op.name(), true, vectorized, threads, () -> {
                float[] out = new float[N + 1];
                Kernels.unary(op, x, 3, out, 1, N);
                return out;
            });
        }
    }

    @ParameterizedTest
    @ArgumentsSource(KernelMatrix.class)
    void binaryOps(boolean vectorized, int threads) {
        SplittableRandom rnd = new SplittableRandom(12);
        float[] a = KernelParityTest.data(rnd, N + 2), b = KernelParityTest.data(rnd, N + 5);
        for (BinaryOp op : BinaryOp.values()) {
            sameAsReference(op.name(), false, vectorized, threads, () -> {
                float[] out = new float[N + 7];
                Kernels.binary(op, a, 2, b, 5, out, 7, N);
                return out;
            });
            sameAsReference(op.name() + " with a scalar", false, vectorized, threads, () -> {
                float[] out = new float[N];
                Kernels.binaryScalar(op, a, 1, 0.75f, true, out, 0, N);
                return out;
            });
        }
    }

    @Test
    void theSplitReallyHappens() {
        // guards the premise of this test: with 3 threads, N elements run as 3 chunks
        Parallel.setThreads(3);
        List<int[]> chunks = new ArrayList<>();
        Parallel.forRange(N, 1 << 15, (from, to) -> {
            synchronized (chunks) {
                chunks.add(new int[] {from, to});
            }
        });
        assertEquals(3, chunks.size());
    }
}
