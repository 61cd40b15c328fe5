package dev.descent.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every vector kernel against its scalar twin, bit for bit, on random data that mixes ordinary values of many magnitudes with the special values
 * (NaN, infinities, signed zeros, subnormals, the extremes), over every length 0..100 (all
 * vector tails) and a few long ones, at nonzero offsets. Elements outside the output range must
 * be left alone. Elementwise results are also checked against {@link UnaryOp#apply(float)} and
 * {@link BinaryOp#apply(float, float)}, the documented float32 definitions.
 *
 * <p>NaN: unary results must match in their raw bits, payload and sign included (FloatMath returns
 * the input NaN or {@link Float#NaN}, the others are bit operations or sqrt). Binary operations
 * and reductions only have to agree that the result is NaN: when both operands are NaN, or for
 * inf - inf, Java leaves the NaN's bits unspecified, and the JIT compilers do produce different
 * payloads for the scalar and the vector loop (seen: 0x7fc00000 vs 0xffc00001 for NaN + NaN).
 */
class KernelParityTest {
    private static final int[] LONG_LENGTHS = {255, 1000, 4099, 5003};
    private static final float SENTINEL = -12345.678f;

    private static final float[] SPECIALS = {
        Float.NaN, Float.intBitsToFloat(0xFFC00001), Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1e-40f, -3e-39f,
        Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f, 88.72283f, 88.8f, -103.9f, -120f, 20f, 20.5f, 0.625f, -9.2f};

    @BeforeEach
    void needsVectorModule() {
        assertTrue(KernelMode.vectorAvailable(), "the build runs tests with --add-modules jdk.incubator.vector; the module is missing");
    }

    /** Random floats: a tenth special values, the rest normal(0, 1) times a scale from 1e-4 to 1e3. */
    static float[] data(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            if (rnd.nextInt(10) == 0) {
                x[i] = SPECIALS[rnd.nextInt(SPECIALS.length)];
            } else {
                double scale = Math.pow(10, rnd.nextDouble(-4, 3));
                x[i] = (float) (gaussian(rnd) * scale);
            }
        }
        return x;
    }

    private static double gaussian(SplittableRandom rnd) {
        return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }

    private static int[] lengths() {
        int[] n = new int[101 + LONG_LENGTHS.length];
        for (int i = 0; i <= 100; i++) n[i] = i;
        System.arraycopy(LONG_LENGTHS, 0, n, 101, LONG_LENGTHS.length);
        return n;
    }

    private static float[] sentinels(int n) {
        float[] a = new float[n];
        Arrays.fill(a, SENTINEL);
        return a;
    }

    private static void assertSameBits(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                throw new AssertionError(what + " at " + i + ": " + expected[i] + " (" + Integer.toHexString(Float.floatToRawIntBits(expected[i]))
                        + ") vs " + actual[i] + " (" + Integer.toHexString(Float.floatToRawIntBits(actual[i])) + ")");
            }
        }
    }

    /** The same bits, except that any two NaNs count as equal. */
    private static void assertSameValues(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                throw new AssertionError(what + " at " + i + ": " + expected[i] + " (" + Integer.toHexString(Float.floatToRawIntBits(expected[i]))
                        + ") vs " + actual[i] + " (" + Integer.toHexString(Float.floatToRawIntBits(actual[i])) + ")");
            }
        }
    }

    @Test
    void unary() {
        SplittableRandom rnd = new SplittableRandom(1);
        for (UnaryOp op : UnaryOp.values()) {
            for (int n : lengths()) {
                int xo = rnd.nextInt(9), oo = rnd.nextInt(9), pad = 5;
                float[] x = data(rnd, xo + n + pad);
                float[] s = sentinels(oo + n + pad), v = sentinels(oo + n + pad), def = sentinels(oo + n + pad);
                ScalarKernels.unary(op, x, xo, s, oo, n);
                VectorKernels.unary(op, x, xo, v, oo, n);
                for (int i = 0; i < n; i++) def[oo + i] = op.apply(x[xo + i]);
                String what = op + " n=" + n;
                assertSameBits(s, v, what + " vector vs scalar");
                assertSameBits(def, s, what + " scalar vs apply(float)");
            }
        }
    }

    @Test
    void binary() {
        SplittableRandom rnd = new SplittableRandom(2);
        for (BinaryOp op : BinaryOp.values()) {
            for (int n : lengths()) {
                int ao = rnd.nextInt(9), bo = rnd.nextInt(9), oo = rnd.nextInt(9), pad = 3;
                float[] a = data(rnd, ao + n + pad), b = data(rnd, bo + n + pad);
                float[] s = sentinels(oo + n + pad), v = sentinels(oo + n + pad), def = sentinels(oo + n + pad);
                ScalarKernels.binary(op, a, ao, b, bo, s, oo, n);
                VectorKernels.binary(op, a, ao, b, bo, v, oo, n);
                for (int i = 0; i < n; i++) def[oo + i] = op.apply(a[ao + i], b[bo + i]);
                assertSameValues(s, v, op + " n=" + n + " vector vs scalar");
                assertSameValues(def, s, op + " n=" + n + " scalar vs apply(float, float)");
                for (boolean right : new boolean[] {true, false}) {
                    float c = data(rnd, 1)[0];
                    float[] s2 = sentinels(oo + n + pad), v2 = sentinels(oo + n + pad);
                    ScalarKernels.binaryScalar(op, a, ao, c, right, s2, oo, n);
                    VectorKernels.binaryScalar(op, a, ao, c, right, v2, oo, n);
                    assertSameValues(s2, v2, op + " with scalar " + c + (right ? " on the right" : " on the left") + " n=" + n);
                }
            }
        }
    }

    /** The relu gradient twins against each other and the definition x &lt;= 0 ? 0 : g, NaN payloads of g included. */
    @Test
    void reluBackward() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int n : lengths()) {
            int xo = rnd.nextInt(9), go = rnd.nextInt(9), oo = rnd.nextInt(9), pad = 3;
            float[] x = data(rnd, xo + n + pad), g = data(rnd, go + n + pad);
            float[] s = sentinels(oo + n + pad), v = sentinels(oo + n + pad), def = sentinels(oo + n + pad);
            ScalarKernels.reluBackward(x, xo, g, go, s, oo, n);
            VectorKernels.reluBackward(x, xo, g, go, v, oo, n);
            for (int i = 0; i < n; i++) def[oo + i] = x[xo + i] <= 0f ? 0f : g[go + i];
            assertSameBits(s, v, "reluBackward n=" + n + " vector vs scalar");
            assertSameBits(def, s, "reluBackward n=" + n + " scalar vs definition");
        }
    }

    @Test
    void addInPlace() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int n : lengths()) {
            int ao = rnd.nextInt(9), xo = rnd.nextInt(9);
            float[] acc = data(rnd, ao + n + 2), x = data(rnd, xo + n + 2);
            float[] s = acc.clone(), v = acc.clone();
            ScalarKernels.addInPlace(s, ao, x, xo, n);
            VectorKernels.addInPlace(v, ao, x, xo, n);
            assertSameValues(s, v, "addInPlace n=" + n);
        }
    }

    @Test
    void reductions() {
        SplittableRandom rnd = new SplittableRandom(4);
        for (int n : lengths()) {
            int xo = rnd.nextInt(9);
            float[] x = data(rnd, xo + n + 2);
            // also finite-only data: with specials almost every long sum is NaN or infinite,
            // and the rounding of the partial sums would go unchecked
            float[] finite = x.clone();
            for (int i = 0; i < finite.length; i++) if (!Float.isFinite(finite[i]) || Math.abs(finite[i]) > 1e6f) finite[i] = i;
            for (float[] d : new float[][] {x, finite}) {
                assertEquals(Double.doubleToLongBits(ScalarKernels.sum(d, xo, n)), Double.doubleToLongBits(VectorKernels.sum(d, xo, n)), "sum n=" + n);
                assertEquals(Double.doubleToLongBits(ScalarKernels.sumSquares(d, xo, n)), Double.doubleToLongBits(VectorKernels.sumSquares(d, xo, n)), "sumSquares n=" + n);
                if (n > 0) {
                    assertEquals(Float.floatToIntBits(ScalarKernels.max(d, xo, n)), Float.floatToIntBits(VectorKernels.max(d, xo, n)), "max n=" + n);
                }
            }
        }
    }

    /** Segment sums, twins bit for bit, and within rounding of the plain double sum of the same elements. */
    @Test
    void sumSegments() {
        SplittableRandom rnd = new SplittableRandom(8);
        int[][] cases = {{0, 3, 5}, {1, 1, 1}, {7, 3, 9}, {8, 4, 8}, {676, 5, 1000}, {121, 64, 130}, {13, 0, 13}, {33, 9, 40}};
        for (int[] c : cases) {
            int len = c[0], count = c[1], stride = c[2], xo = rnd.nextInt(9);
            float[] x = data(rnd, xo + Math.max(0, count - 1) * stride + len + 2);
            float[] finite = x.clone();
            for (int i = 0; i < finite.length; i++) if (!Float.isFinite(finite[i]) || Math.abs(finite[i]) > 1e6f) finite[i] = i % 7 - 3;
            for (float[] d : new float[][] {x, finite}) {
                double s = ScalarKernels.sumSegments(d, xo, len, count, stride), v = VectorKernels.sumSegments(d, xo, len, count, stride);
                assertEquals(Double.doubleToLongBits(s), Double.doubleToLongBits(v), "sumSegments " + java.util.Arrays.toString(c));
            }
            double plain = 0, abs = 0;
            for (int k = 0; k < count; k++) {
                for (int i = 0; i < len; i++) {
                    plain += finite[xo + k * stride + i];
                    abs += Math.abs(finite[xo + k * stride + i]);
                }
            }
            assertEquals(plain, ScalarKernels.sumSegments(finite, xo, len, count, stride), 1e-12 * abs + 1e-300, "sumSegments value");
        }
    }

    /** Kernels.rowSums: each row's sumSegments, whichever path the whole call takes (small and large calls). */
    @Test
    void rowSums() {
        SplittableRandom rnd = new SplittableRandom(9);
        for (int[] c : new int[][] {{121, 64}, {5, 3}, {676, 32}, {1, 1}}) {
            int len = c[0], rows = c[1], xo = rnd.nextInt(5);
            float[] x = data(rnd, xo + rows * len + 3);
            double[] out = new double[rows + 2];
            Kernels.rowSums(x, xo, rows, len, out, 1);
            for (int r = 0; r < rows; r++) {
                double expected = ScalarKernels.sumSegments(x, xo + r * len, len, 1, len);
                assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(out[1 + r]), "rowSums " + len + " x " + rows + " row " + r);
            }
            assertEquals(0.0, out[0]);
            assertEquals(0.0, out[rows + 1]);
        }
    }

    /**
     * Kernels.binaryRows (a row vector against each row) against the definition a[r][j] op b[j],
     * one-column shapes (their own path: one run against b[0]) and long ones (vector, split over
     * threads) included; nothing past the output touched.
     */
    @Test
    void binaryRows() {
        SplittableRandom rnd = new SplittableRandom(6);
        int[][] shapes = {{1, 1}, {32, 1}, {5003, 1}, {3, 7}, {64, 100}, {1000, 33}, {0, 1}};
        for (BinaryOp op : BinaryOp.values()) {
            for (int[] rc : shapes) {
                int rows = rc[0], cols = rc[1], ao = rnd.nextInt(9), bo = rnd.nextInt(9), oo = rnd.nextInt(9), pad = 3;
                float[] a = data(rnd, ao + rows * cols + pad), b = data(rnd, bo + cols + pad);
                float[] got = sentinels(oo + rows * cols + pad), def = sentinels(oo + rows * cols + pad);
                Kernels.binaryRows(op, a, ao, b, bo, got, oo, rows, cols);
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < cols; j++) def[oo + r * cols + j] = op.apply(a[ao + r * cols + j], b[bo + j]);
                }
                assertSameValues(def, got, "binaryRows " + op + " " + rows + "x" + cols);
            }
        }
    }

    @Test
    void sumRows() {
        SplittableRandom rnd = new SplittableRandom(5);
        int[][] shapes = {{1, 1}, {3, 7}, {5, 8}, {2, 17}, {13, 33}, {64, 100}, {7, 1000}, {1000, 3}, {0, 5}};
        for (int[] rc : shapes) {
            int rows = rc[0], cols = rc[1], xo = rnd.nextInt(9), oo = rnd.nextInt(9);
            float[] x = data(rnd, xo + rows * cols + 1);
            float[] s = sentinels(oo + cols + 2), v = sentinels(oo + cols + 2);
            ScalarKernels.sumRows(x, xo, rows, cols, s, oo);
            VectorKernels.sumRows(x, xo, rows, cols, v, oo);
            assertSameValues(s, v, "sumRows " + rows + "x" + cols);
        }
    }
}
