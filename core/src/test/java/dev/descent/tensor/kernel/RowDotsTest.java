package dev.descent.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.tensor.GlobalSettings;
import dev.descent.tensor.KernelMatrix;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ArgumentsSource;

/** RowDots: accuracy against double sums, and identical bits in both kernel modes and on any thread count. */
@ExtendWith(GlobalSettings.class)
class RowDotsTest {
    private static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        return v;
    }

    /** Shapes {m, n, len} with lengths that are not multiples of 8 or of the vector block. */
    private static final int[][] SHAPES = {{1, 1, 1}, {3, 5, 7}, {4, 4, 8}, {5, 9, 1027}, {32, 9, 4099}, {2, 7, 3000}, {9, 1, 2048}};

    private static float[] run(int[] s, int offset, int pad) {
        Random r = new Random(s[0] * 31 + s[1] * 7 + s[2]);
        int lda = s[2] + pad, ldb = s[2] + pad, ldc = s[1] + pad;
        float[] a = random(r, offset + s[0] * lda), b = random(r, offset + s[1] * ldb), c = new float[offset + s[0] * ldc];
        RowDots.rowDots(s[0], s[1], s[2], a, offset, lda, b, offset, ldb, c, offset, ldc);
        return c;
    }

    @Test
    void closeToTheExactDotProducts() {
        for (int[] s : SHAPES) {
            Random r = new Random(5);
            float[] a = random(r, s[0] * s[2]), b = random(r, s[1] * s[2]), c = new float[s[0] * s[1]];
            RowDots.rowDots(s[0], s[1], s[2], a, 0, s[2], b, 0, s[2], c, 0, s[1]);
            for (int i = 0; i < s[0]; i++) {
                for (int j = 0; j < s[1]; j++) {
                    double exact = 0, abs = 0;
                    for (int p = 0; p < s[2]; p++) {
                        exact += (double) a[i * s[2] + p] * b[j * s[2] + p];
                        abs += Math.abs((double) a[i * s[2] + p] * b[j * s[2] + p]);
                    }
                    // Each result has at most len/8 + 1 + 3 roundings on a path: gamma_n * sum |terms|.
                    int n = s[2] / 8 + 4;
                    double bound = n * 0x1p-24 / (1 - n * 0x1p-24) * abs;
                    assertTrue(Math.abs(c[i * s[1] + j] - exact) <= bound, "shape " + java.util.Arrays.toString(s) + " [" + i + "][" + j + "]");
                }
            }
        }
    }

    /** The twins (and thread counts) give the reference cell's bits, scalar on one thread. */
    @ParameterizedTest
    @ArgumentsSource(KernelMatrix.class)
    void vectorAndScalarTwinsAgreeBitForBit(boolean vectorized, int threads) {
        if (!KernelMode.vectorAvailable()) throw new AssertionError("tests run with --add-modules jdk.incubator.vector; the module is missing");
        for (int[] s : SHAPES) {
            assertArrayEquals(KernelMatrix.reference(() -> run(s, 3, 5)), KernelMatrix.in(vectorized, threads, () -> run(s, 3, 5)),
                    java.util.Arrays.toString(s) + (vectorized ? ", vector" : ", scalar") + " on " + threads + " threads");
        }
    }

    @Test
    void accumulateContinuesTheLanesAcrossCalls() {
        // Two calls over halves of a length divisible by 8 are the same chains as one call.
        Random r = new Random(9);
        int m = 3, n = 5, len = 2048;
        float[] a = random(r, m * len), b = random(r, n * len), one = new float[m * n], two = new float[m * n];
        RowDots.rowDots(m, n, len, a, 0, len, b, 0, len, one, 0, n);
        float[] partial = new float[4 + m * n * RowDots.LANES];
        RowDots.accumulate(m, n, len / 2, a, 0, len, b, 0, len, partial, 4);
        RowDots.accumulate(m, n, len / 2, a, len / 2, len, b, len / 2, len, partial, 4);
        RowDots.combine(m, n, partial, 4, two, 0, n);
        assertArrayEquals(one, two);
    }

    @ParameterizedTest
    @ArgumentsSource(KernelMatrix.class)
    void sameBitsOnAnyThreadCount(boolean vectorized, int threads) {
        int[] s = {32, 9, 40_000}; // large enough to split over threads
        assertArrayEquals(KernelMatrix.reference(() -> run(s, 0, 0)), KernelMatrix.in(vectorized, threads, () -> run(s, 0, 0)),
                (vectorized ? "vector" : "scalar") + " on " + threads + " threads");
    }
}
