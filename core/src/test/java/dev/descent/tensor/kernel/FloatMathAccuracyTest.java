package dev.descent.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Accuracy of {@link FloatMath} against the float nearest the double-precision reference
 * ({@code (float) Math.exp((double) x)} and so on; the double functions are within 1 ulp of
 * double, so this is the correctly rounded float except in astronomically rare double-rounding
 * cases). Error is counted in floats between the two results ({@link #ulps}), which also counts
 * subnormal steps and the step from Float.MAX_VALUE to infinity.
 *
 * <p>Bounds: 1 ulp for exp and log; 2 ulp for tanh, sigmoid and softplus, which compose exp with a
 * division and an addition or subtraction, each rounded; 2 ulp for erf, whose coefficients are
 * float roundings of a fit. The measured maxima (printed) are 1 ulp for exp, log and tanh and
 * 2 ulp for sigmoid, softplus and erf. A wrong polynomial coefficient (beyond its last few bits)
 * or a bad range reduction gives errors of many ulps and fails. Every swept input is also run through the
 * vector kernel, which must give the same bits.
 */
class FloatMathAccuracyTest {
    /** Floats visited per sweep step: a prime, so the visited mantissas do not follow a pattern. */
    private static final int STRIDE = 97;
    private static final int BATCH = 1 << 14;

    /** Number of floats between a and b (0 when both are NaN, huge when only one is). */
    static long ulps(float a, float b) {
        if (Float.isNaN(a) || Float.isNaN(b)) return Float.isNaN(a) && Float.isNaN(b) ? 0 : Long.MAX_VALUE;
        return Math.abs((long) ordered(a) - ordered(b));
    }

    /** Bits mapped to a monotone integer scale, -0 and +0 both to 0. */
    private static int ordered(float f) {
        int bits = Float.floatToRawIntBits(f);
        return bits >= 0 ? bits : 0x80000000 - bits;
    }

    private static float fromOrdered(int o) {
        return Float.intBitsToFloat(o >= 0 ? o : 0x80000000 - o);
    }

    /** Largest error over every stride-th float from lo to hi (inclusive), with vector parity. */
    private static long sweep(UnaryOp op, DoubleUnaryOperator reference, float lo, float hi, int stride, long bound) {
        float[] in = new float[BATCH];
        float[] scalar = new float[BATCH];
        float[] vector = new float[BATCH];
        long worst = 0;
        float worstX = Float.NaN;
        long count = 0;
        long end = ordered(hi);
        for (long o = ordered(lo); o <= end; ) {
            int n = 0;
            for (; n < BATCH && o <= end; n++, o += stride) in[n] = fromOrdered((int) o);
            ScalarKernels.unary(op, in, 0, scalar, 0, n);
            if (KernelMode.vectorAvailable()) VectorKernels.unary(op, in, 0, vector, 0, n);
            for (int i = 0; i < n; i++) {
                float x = in[i];
                if (KernelMode.vectorAvailable() && Float.floatToRawIntBits(vector[i]) != Float.floatToRawIntBits(scalar[i])) {
                    throw new AssertionError(op + "(" + x + "): vector " + vector[i] + " != scalar " + scalar[i]);
                }
                long e = ulps(scalar[i], (float) reference.applyAsDouble(x));
                if (e > worst) {
                    worst = e;
                    worstX = x;
                }
            }
            count += n;
        }
        System.out.printf("%s on [%s, %s] every %d: %d inputs, max error %d ulp at x = %s (%s)%n",
                op, lo, hi, stride, count, worst, worstX, Float.toHexString(worstX));
        assertTrue(worst <= bound, op + ": " + worst + " ulp at x = " + worstX + " exceeds " + bound);
        return worst;
    }

    private static void special(UnaryOp op, float x, float expected) {
        float got = op.apply(x);
        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(got), op + "(" + x + ") = " + got + ", expected " + expected);
    }

    @Test
    void exp() {
        sweep(UnaryOp.EXP, Math::exp, -120f, 100f, STRIDE, 1);
        // every float around the overflow threshold, the subnormal range's start and its end
        sweep(UnaryOp.EXP, Math::exp, 88.7f, 88.75f, 1, 1);
        sweep(UnaryOp.EXP, Math::exp, -87.4f, -87.3f, 1, 1);
        sweep(UnaryOp.EXP, Math::exp, -104.1f, -103.9f, 1, 1);
        sweep(UnaryOp.EXP, Math::exp, -1f, 1f, 997, 1);
    }

    @Test
    void expSpecialValues() {
        special(UnaryOp.EXP, Float.NaN, Float.NaN);
        special(UnaryOp.EXP, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY);
        special(UnaryOp.EXP, Float.NEGATIVE_INFINITY, 0f);
        special(UnaryOp.EXP, Float.MAX_VALUE, Float.POSITIVE_INFINITY);
        special(UnaryOp.EXP, -Float.MAX_VALUE, 0f);
        special(UnaryOp.EXP, 0f, 1f);
        special(UnaryOp.EXP, -0f, 1f);
        special(UnaryOp.EXP, Float.MIN_VALUE, 1f);
        // 88.72283f is the largest float whose exp is finite, -103.97208f the smallest that is not 0
        assertTrue(Float.isFinite(FloatMath.exp(88.72283f)) && ulps(FloatMath.exp(88.72283f), (float) Math.exp(88.72283f)) <= 1);
        special(UnaryOp.EXP, Math.nextUp(88.72283f), Float.POSITIVE_INFINITY);
        special(UnaryOp.EXP, -103.97208f, Float.MIN_VALUE);
        special(UnaryOp.EXP, Math.nextDown(-103.97208f), 0f);
        special(UnaryOp.EXP, 1f, (float) Math.E);
    }

    @Test
    void log() {
        sweep(UnaryOp.LOG, Math::log, Float.MIN_VALUE, Float.MAX_VALUE, STRIDE, 1);
        // every float near 1, where log is small and cancellation would show; and across the subnormals
        sweep(UnaryOp.LOG, Math::log, 0.99f, 1.01f, 1, 1);
        sweep(UnaryOp.LOG, Math::log, Float.MIN_VALUE, Float.MIN_NORMAL * 2, 13, 1);
    }

    @Test
    void logSpecialValues() {
        special(UnaryOp.LOG, Float.NaN, Float.NaN);
        special(UnaryOp.LOG, 0f, Float.NEGATIVE_INFINITY);
        special(UnaryOp.LOG, -0f, Float.NEGATIVE_INFINITY);
        special(UnaryOp.LOG, -1f, Float.NaN);
        special(UnaryOp.LOG, -Float.MIN_VALUE, Float.NaN);
        special(UnaryOp.LOG, Float.NEGATIVE_INFINITY, Float.NaN);
        special(UnaryOp.LOG, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY);
        special(UnaryOp.LOG, 1f, 0f);
        special(UnaryOp.LOG, Float.MIN_VALUE, (float) Math.log(Float.MIN_VALUE));
        special(UnaryOp.LOG, Float.MAX_VALUE, (float) Math.log(Float.MAX_VALUE));
        special(UnaryOp.LOG, (float) Math.E, 1f);
    }

    @Test
    void tanh() {
        sweep(UnaryOp.TANH, Math::tanh, -100f, 100f, STRIDE, 2);
        // every float around the switch from polynomial to exp formula, and around saturation
        sweep(UnaryOp.TANH, Math::tanh, 0.6f, 0.65f, 1, 2);
        sweep(UnaryOp.TANH, Math::tanh, -0.65f, -0.6f, 1, 2);
        sweep(UnaryOp.TANH, Math::tanh, 8.9f, 9.6f, 1, 2);
    }

    @Test
    void tanhSpecialValues() {
        special(UnaryOp.TANH, Float.NaN, Float.NaN);
        special(UnaryOp.TANH, 0f, 0f);
        special(UnaryOp.TANH, -0f, -0f);
        special(UnaryOp.TANH, Float.MIN_VALUE, Float.MIN_VALUE);
        special(UnaryOp.TANH, -Float.MIN_VALUE, -Float.MIN_VALUE);
        special(UnaryOp.TANH, 10f, 1f);
        special(UnaryOp.TANH, -10f, -1f);
        special(UnaryOp.TANH, Float.POSITIVE_INFINITY, 1f);
        special(UnaryOp.TANH, Float.NEGATIVE_INFINITY, -1f);
        special(UnaryOp.TANH, Float.MAX_VALUE, 1f);
    }

    @Test
    void sigmoid() {
        sweep(UnaryOp.SIGMOID, UnaryOp.SIGMOID::apply, -120f, 120f, STRIDE, 2);
        sweep(UnaryOp.SIGMOID, UnaryOp.SIGMOID::apply, -1f, 1f, 997, 2);
    }

    @Test
    void sigmoidSpecialValues() {
        special(UnaryOp.SIGMOID, Float.NaN, Float.NaN);
        special(UnaryOp.SIGMOID, 0f, 0.5f);
        special(UnaryOp.SIGMOID, -0f, 0.5f);
        special(UnaryOp.SIGMOID, Float.POSITIVE_INFINITY, 1f);
        special(UnaryOp.SIGMOID, Float.NEGATIVE_INFINITY, 0f);
        special(UnaryOp.SIGMOID, 200f, 1f);
        special(UnaryOp.SIGMOID, -200f, 0f);
        special(UnaryOp.SIGMOID, -100f, (float) Math.exp(-100));   // subnormal, not flushed
    }

    @Test
    void softplus() {
        sweep(UnaryOp.SOFTPLUS, UnaryOp.SOFTPLUS::apply, -120f, 120f, STRIDE, 2);
        sweep(UnaryOp.SOFTPLUS, UnaryOp.SOFTPLUS::apply, -1f, 1f, 997, 2);
        sweep(UnaryOp.SOFTPLUS, UnaryOp.SOFTPLUS::apply, 19.9f, 20.1f, 1, 2);
    }

    /**
     * PyTorch's softplus returns x above its threshold 20; ours gets x there by arithmetic (no
     * branch, see FloatMath.softplusOfExp). Every float from 20 to 64 and every 97th up to the
     * largest float must give x exactly (bound 0), in the scalar and the vector kernel.
     */
    @Test
    void softplusIsExactlyXAboveTwenty() {
        sweep(UnaryOp.SOFTPLUS, x -> x, Math.nextUp(20f), 64f, 1, 0);
        sweep(UnaryOp.SOFTPLUS, x -> x, 64f, Float.MAX_VALUE, STRIDE, 0);
    }

    @Test
    void softplusSpecialValues() {
        special(UnaryOp.SOFTPLUS, Float.NaN, Float.NaN);
        special(UnaryOp.SOFTPLUS, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY);
        special(UnaryOp.SOFTPLUS, Float.NEGATIVE_INFINITY, 0f);
        special(UnaryOp.SOFTPLUS, 0f, (float) Math.log(2));
        special(UnaryOp.SOFTPLUS, 21f, 21f);
        special(UnaryOp.SOFTPLUS, -100f, (float) Math.exp(-100));
    }

    @Test
    void erf() {
        sweep(UnaryOp.ERF, Erf::erf, -10f, 10f, STRIDE, 2);
        // every float around the switch from the small-argument polynomial to the erfc form
        sweep(UnaryOp.ERF, Erf::erf, 0.95f, 1.05f, 1, 2);
        sweep(UnaryOp.ERF, Erf::erf, -1.05f, -0.95f, 1, 2);
        sweep(UnaryOp.ERF, Erf::erf, 3.8f, 4.1f, 1, 2);
    }

    @Test
    void erfSpecialValues() {
        special(UnaryOp.ERF, Float.NaN, Float.NaN);
        special(UnaryOp.ERF, 0f, 0f);
        special(UnaryOp.ERF, -0f, -0f);
        special(UnaryOp.ERF, Float.POSITIVE_INFINITY, 1f);
        special(UnaryOp.ERF, Float.NEGATIVE_INFINITY, -1f);
        special(UnaryOp.ERF, 5f, 1f);
        special(UnaryOp.ERF, -5f, -1f);
        special(UnaryOp.ERF, Float.MIN_VALUE, (float) (Float.MIN_VALUE * 1.1283791670955126));
    }

    @Test
    void ulpsCountsFloatsBetween() {
        // the measuring stick itself: the tolerances above mean nothing if it is wrong
        assertEquals(0, ulps(0f, -0f));
        assertEquals(1, ulps(1f, Math.nextUp(1f)));
        assertEquals(2, ulps(-Float.MIN_VALUE, Float.MIN_VALUE));
        assertEquals(1, ulps(Float.MAX_VALUE, Float.POSITIVE_INFINITY));
        assertEquals(0, ulps(Float.NaN, Float.NaN));
        assertEquals(Long.MAX_VALUE, ulps(Float.NaN, 1f));
    }
}
