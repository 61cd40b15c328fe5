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

    /** Runs the kernel under every thread count and mode; all results must equal the first. */
    private static void sameEverywhere(String what, boolean rawNaN, Supplier<float[]> kernel) {
        float[] first = null;
        String firstSetting = null;
        for (boolean vector : KernelMatrix.modes()) {
            KernelMode.setVectorized(vector);
            for (int t : KernelMatrix.THREADS) {
                Parallel.setThreads(t);
                float[] out = kernel.get();
                String setting = (vector ? "vector" : "scalar") + ", " + t + " threads";
                if (first == null) {
                    first = out;
                    firstSetting = setting;
                    continue;
                }
                for (int i = 0; i < out.length; i++) {
                    int a = rawNaN ? Float.floatToRawIntBits(first[i]) : Float.floatToIntBits(first[i]);
                    int b = rawNaN ? Float.floatToRawIntBits(out[i]) : Float.floatToIntBits(out[i]);
                    if (a != b) {
                        throw new AssertionError(what + " at " + i + ": " + first[i] + " (" + firstSetting + ") vs " + out[i] + " (" + setting + ")");
                    }
                }
            }
        }
    }

    @Test
    void unaryOps() {
        SplittableRandom rnd = new SplittableRandom(11);
        float[] x = KernelParityTest.data(rnd, N + 3);
        for (UnaryOp op : UnaryOp.values()) {
            sameEverywhere(op.name(), true, () -> {
                float[] out = new float[N + 1];
                Kernels.unary(op, x, 3, out, 1, N);
                return out;
            });
        }
    }

    @Test
    void binaryOps() {
        SplittableRandom rnd = new SplittableRandom(12);
        float[] a = KernelParityTest.data(rnd, N + 2), b = KernelParityTest.data(rnd, N + 5);
        for (BinaryOp op : BinaryOp.values()) {
            sameEverywhere(op.name(), false, () -> {
                float[] out = new float[N + 7];
                Kernels.binary(op, a, 2, b, 5, out, 7, N);
                return out;
            });
            sameEverywhere(op.name() + " with a scalar", false, () -> {
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
