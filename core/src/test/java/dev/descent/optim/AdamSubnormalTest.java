package dev.descent.optim;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Adam's subnormal-free path ({@link Adam#wide}: elements with a tiny value computed in double,
 * {@link WideFloat}) gives the bits of the plain float32 loop for every element, and its threshold
 * ({@link TinyValues#BELOW}) keeps every float operation of the other elements away from
 * subnormals at Adam's usual hyperparameters.
 */
class AdamSubnormalTest {

    /** Every subnormal float, read and written back through its bits, and its value as a double. */
    @Test
    void everySubnormalRoundTripsThroughItsBits() {
        for (int mantissa = 1; mantissa < 1 << 23; mantissa++) {
            for (int sign : new int[] {0, 0x8000_0000}) {
                float f = Float.intBitsToFloat(sign | mantissa);
                double d = WideFloat.of(f);
                assertEquals(Double.doubleToRawLongBits(f), Double.doubleToRawLongBits(d), () -> "of " + f);
                assertEquals(Float.floatToRawIntBits(f), Float.floatToRawIntBits(WideFloat.toFloat(d)), () -> "toFloat " + f);
            }
        }
    }

    /** Rounding a double to float32 without float subnormals equals Java's conversion, ties included. */
    @Test
    void roundingMatchesTheConversionAcrossTheSubnormalRange() {
        SplittableRandom rnd = new SplittableRandom(7);
        double[] edges = {0.0, -0.0, Double.MIN_VALUE, 0x1p-150, 0x1.8p-150, 0x1p-149, 0x1.8p-149, 0x2.8p-149,
            Float.MIN_NORMAL, Math.nextDown((double) Float.MIN_NORMAL), Math.nextDown(0x1p-126 - 0x1p-150), 0x1p-126 - 0x1p-150,
            Float.MAX_VALUE, Math.nextUp((double) Float.MAX_VALUE), 0x1.ffffffp127, Double.POSITIVE_INFINITY, Double.NaN};
        for (double x : edges) {
            assertRounds(x);
            assertRounds(-x);
        }
        for (int k = 0; k < 2_000_000; k++) {
            double x = switch (k % 4) {
                case 0 -> Math.scalb(rnd.nextDouble(), -rnd.nextInt(100, 160)); // around and below the subnormals
                case 1 -> (rnd.nextInt(1 << 23) + 0.5) * 0x1p-149;                   // exact subnormal midpoints (ties)
                case 2 -> Math.scalb(rnd.nextDouble(1, 2), rnd.nextInt(-130, 129));
                default -> Double.longBitsToDouble(rnd.nextLong());
            };
            assertRounds(rnd.nextBoolean() ? x : -x);
        }
    }

    private static void assertRounds(double x) {
        double r = WideFloat.round(x);
        assertEquals(Double.doubleToLongBits((float) x), Double.doubleToLongBits(r), () -> "round " + x);
        assertEquals(Float.floatToIntBits((float) x), Float.floatToIntBits(WideFloat.toFloat(r)), () -> "toFloat " + x);
    }

    /** The threshold sits exactly at 2^-50, for both signs; zero, NaN and infinities are not tiny. */
    @Test
    void tinyMeansNonzeroAndBelowTheThreshold() {
        assertEquals(0x1p-50f, TinyValues.BELOW);
        for (float s : new float[] {1, -1}) {
            assertFalse(TinyValues.isTiny(s * TinyValues.BELOW));
            assertTrue(TinyValues.isTiny(s * Math.nextDown(TinyValues.BELOW)));
            assertTrue(TinyValues.isTiny(s * Float.MIN_VALUE));
            assertTrue(TinyValues.isTiny(s * Float.MIN_NORMAL));
            assertFalse(TinyValues.isTiny(s * 0f));
            assertFalse(TinyValues.isTiny(s * Float.POSITIVE_INFINITY));
            assertFalse(TinyValues.isTiny(s * Float.MAX_VALUE));
        }
        assertFalse(TinyValues.isTiny(Float.NaN));
        assertFalse(TinyValues.isTiny(Float.intBitsToFloat(0xffc0_0001)));
        float[] block = {1, 0, -0f, TinyValues.BELOW, Float.NaN, -Math.nextDown(TinyValues.BELOW)};
        assertFalse(TinyValues.anyIn(block, 0, 5));
        assertTrue(TinyValues.anyIn(block, 0, 6));
        assertTrue(TinyValues.anyIn(block, 5, 6));
    }

    /**
     * Fuzz: arrays mixing normal, subnormal, zero, tiny, huge, NaN and infinite values of both signs,
     * under every combination of amsgrad, decoupled or coupled weight decay and maximize, and random
     * hyperparameters. Each element through the double path equals the float32 loop's bits, so does
     * the per-element choice (tiny elements in double, the others in float32), and so does
     * {@code Adam.update}.
     */
    @Test
    void theDoublePathGivesTheFloatLoopsBitsForEveryElement() {
        SplittableRandom rnd = new SplittableRandom(2026);
        int checked = 0;
        for (int round = 0; round < 400; round++) {
            boolean amsgrad = rnd.nextBoolean();
            boolean decoupled = rnd.nextBoolean();
            boolean maximize = rnd.nextInt(4) == 0;
            double beta1 = rnd.nextInt(5) == 0 ? 0 : 1 - Math.scalb(1.0, -rnd.nextInt(1, 20)) * rnd.nextDouble(0.5, 1);
            double beta2 = rnd.nextInt(5) == 0 ? 0 : 1 - Math.scalb(1.0, -rnd.nextInt(1, 24)) * rnd.nextDouble(0.5, 1);
            double eps = rnd.nextInt(5) == 0 ? 0 : Math.scalb(rnd.nextDouble(1, 2), -rnd.nextInt(0, 140));
            double lr = Math.scalb(rnd.nextDouble(1, 2), -rnd.nextInt(0, 60));
            double wd = rnd.nextInt(3) == 0 ? 0 : Math.scalb(rnd.nextDouble(1, 2), -rnd.nextInt(0, 60));
            long step = 1 + rnd.nextInt(rnd.nextBoolean() ? 10 : 100_000);
            Adam adam = new Adam(beta1, beta2, eps, amsgrad, decoupled);
            int n = 1 + rnd.nextInt(300);
            float[] p = values(rnd, n), grad = values(rnd, n), m = values(rnd, n), v = nonNegative(values(rnd, n)), vmax = nonNegative(values(rnd, n));
            float[][] state = amsgrad ? new float[][] {m.clone(), v.clone(), vmax.clone()} : new float[][] {m.clone(), v.clone()};
            float[][] expected = amsgrad ? new float[][] {m.clone(), v.clone(), vmax.clone()} : new float[][] {m.clone(), v.clone()};
            float[] expectedP = p.clone();
            reference(adam, expectedP, grad, expected, step, lr, wd, maximize);

            float[] wideP = p.clone();
            float[][] wideState = amsgrad ? new float[][] {m.clone(), v.clone(), vmax.clone()} : new float[][] {m.clone(), v.clone()};
            Scalars s = new Scalars(adam, step, lr, wd, maximize);
            for (int i = 0; i < n; i++) {
                Adam.wide(wideP, grad, wideState[0], wideState[1], amsgrad ? wideState[2] : null, i,
                        s.shrink, s.shrinkBy, maximize, s.coupled, s.wd, s.b1, s.oneMinusB1, s.b2, s.oneMinusB2, s.bc2Sqrt, s.e, s.negStepSize);
            }
            // The per-element choice a kernel makes: tiny elements in double, the others in float32.
            float[] mixedP = p.clone();
            float[][] mixed = amsgrad ? new float[][] {m.clone(), v.clone(), vmax.clone()} : new float[][] {m.clone(), v.clone()};
            float[] mixedMax = amsgrad ? mixed[2] : null;
            int thetaLimit = Adam.thetaLimit(s.coupled, s.wd);
            for (int i = 0; i < n; i++) {
                if (Adam.isTiny(mixedP, grad, mixed[0], mixed[1], mixedMax, thetaLimit, i)) {
                    Adam.wide(mixedP, grad, mixed[0], mixed[1], mixedMax, i,
                            s.shrink, s.shrinkBy, maximize, s.coupled, s.wd, s.b1, s.oneMinusB1, s.b2, s.oneMinusB2, s.bc2Sqrt, s.e, s.negStepSize);
                } else {
                    Adam.floats(mixedP, grad, mixed[0], mixed[1], mixedMax, i, i + 1,
                            s.shrink, s.shrinkBy, maximize, s.coupled, s.wd, s.b1, s.oneMinusB1, s.b2, s.oneMinusB2, s.bc2Sqrt, s.e, s.negStepSize);
                }
            }
            float[] newP = p.clone();
            adam.update(newP, grad, state, step, lr, wd, maximize);
            String context = "round " + round + " " + adam + " lr=" + lr + " wd=" + wd + " step=" + step + " maximize=" + maximize;
            assertSameBits(expectedP, wideP, "param (double path), " + context);
            assertSameBits(expectedP, mixedP, "param (per element), " + context);
            assertSameBits(expectedP, newP, "param (update), " + context);
            for (int b = 0; b < expected.length; b++) {
                assertSameBits(expected[b], wideState[b], "state " + b + " (double path), " + context);
                assertSameBits(expected[b], mixed[b], "state " + b + " (per element), " + context);
                assertSameBits(expected[b], state[b], "state " + b + " (update), " + context);
            }
            checked += n;
        }
        assertTrue(checked > 20_000, "elements checked: " + checked);
    }

    /**
     * The threshold is high enough: with inputs each zero or at least 2^-50 in magnitude (second
     * moments at most 1; parameters under coupled decay at least 2^-50 / wd), at Adam's and AdamW's
     * usual hyperparameters and at any step, no float operation of the update reads or produces a
     * subnormal. With 2^-60 instead this fails at {@code (1 - beta2) * g * g}, and without the
     * parameter's own limit at {@code (1 - beta2) * g * g} for g = wd * theta.
     */
    @Test
    void noFloatOperationMeetsASubnormalAboveTheThreshold() {
        SplittableRandom rnd = new SplittableRandom(11);
        double[][] hyper = { // lr, beta1, beta2, eps, weight decay, decoupled (1) or coupled (0)
            {1e-3, 0.9, 0.999, 1e-8, 0, 0}, {1e-3, 0.9, 0.999, 1e-8, 1e-2, 1}, {1e-4, 0.9, 0.999, 1e-8, 5e-4, 0},
            {3e-4, 0.9, 0.98, 1e-6, 0.1, 1}, {1e-2, 0.8, 0.99, 1e-8, 0, 0}};
        for (double[] h : hyper) {
            Adam adam = new Adam(h[1], h[2], h[3], false, h[5] == 1);
            for (long step : new long[] {1, 2, 10, 1000, 100_000}) {
                Scalars s = new Scalars(adam, step, h[0], h[4], false);
                for (int k = 0; k < 200_000; k++) {
                    float theta = atThreshold(rnd), g = atThreshold(rnd), m = atThreshold(rnd), v = Math.min(1f, Math.abs(atThreshold(rnd)));
                    if (s.coupled) {
                        // Adam asks |theta| >= BELOW / wd under coupled decay; g + wd * theta cancelling to
                        // near zero (to 24 bits) is the one case left to the (exact, slower) float path.
                        theta = theta * (float) (1 / s.wd);
                        if (theta != 0 && g != 0) g = Math.copySign(g, theta);
                    }
                    instrumented(s, theta, g, m, v);
                }
            }
        }
    }

    /** Zero, or a magnitude at the threshold (within a factor of 2), or up to 1; either sign. */
    private static float atThreshold(SplittableRandom rnd) {
        float magnitude = switch (rnd.nextInt(4)) {
            case 0 -> 0f;
            case 1 -> TinyValues.BELOW;
            case 2 -> (float) (TinyValues.BELOW * rnd.nextDouble(1, 2));
            default -> (float) Math.scalb(rnd.nextDouble(1, 2), -rnd.nextInt(1, 50));
        };
        return rnd.nextBoolean() ? magnitude : -magnitude;
    }

    /** The float loop's operations on one element, each result checked. */
    private static void instrumented(Scalars s, float theta0, float g0, float m0, float v0) {
        float theta = theta0;
        if (s.shrink) theta = normal(theta * s.shrinkBy, "theta * (1 - lr * wd)", s, theta0, g0, m0, v0);
        float g = g0;
        if (s.coupled) g = normal(g + normal(s.wd * theta, "wd * theta", s, theta0, g0, m0, v0), "g + wd * theta", s, theta0, g0, m0, v0);
        float mi = normal(normal(m0 * s.b1, "m * beta1", s, theta0, g0, m0, v0) + normal(s.oneMinusB1 * g, "(1 - beta1) * g", s, theta0, g0, m0, v0),
                "m'", s, theta0, g0, m0, v0);
        float gg = normal(normal(s.oneMinusB2 * g, "(1 - beta2) * g", s, theta0, g0, m0, v0) * g, "(1 - beta2) * g * g", s, theta0, g0, m0, v0);
        float vi = normal(normal(v0 * s.b2, "v * beta2", s, theta0, g0, m0, v0) + gg, "v'", s, theta0, g0, m0, v0);
        float root = normal((float) Math.sqrt(vi), "sqrt(v')", s, theta0, g0, m0, v0);
        float denom = normal(normal(root / s.bc2Sqrt, "sqrt(v') / sqrt(bc2)", s, theta0, g0, m0, v0) + s.e, "denominator", s, theta0, g0, m0, v0);
        float stepTimesM = normal(s.negStepSize * mi, "-lr / bc1 * m'", s, theta0, g0, m0, v0);
        float delta = normal(stepTimesM / denom, "update", s, theta0, g0, m0, v0);
        normal(theta + delta, "theta'", s, theta0, g0, m0, v0);
    }

    private static float normal(float x, String what, Scalars s, float theta, float g, float m, float v) {
        if (x != 0 && Math.abs(x) < Float.MIN_NORMAL) {
            fail(what + " = " + x + " is subnormal for theta=" + theta + " g=" + g + " m=" + m + " v=" + v + " (" + s + ")");
        }
        return x;
    }

    /** The float32 scalars of one update, as Adam.update derives them. */
    private record Scalars(boolean shrink, float shrinkBy, boolean coupled, float wd, float b1, float oneMinusB1, float b2,
            float oneMinusB2, float bc2Sqrt, float e, float negStepSize) {
        Scalars(Adam a, long step, double lr, double weightDecay, boolean maximize) {
            this(a.decoupled() && weightDecay != 0, (float) (1 - lr * weightDecay), !a.decoupled() && weightDecay != 0, (float) weightDecay,
                    (float) a.beta1(), (float) (1 - a.beta1()), (float) a.beta2(), (float) (1 - a.beta2()),
                    (float) Math.sqrt(1 - Math.pow(a.beta2(), step)), (float) a.eps(), (float) -(lr / (1 - Math.pow(a.beta1(), step))));
        }
    }

    /** Adam's float32 loop as it was before the double path: the reference for the bits. */
    private static void reference(Adam a, float[] p, float[] grad, float[][] state, long step, double lr, double weightDecay, boolean maximize) {
        Scalars s = new Scalars(a, step, lr, weightDecay, maximize);
        float[] m = state[0], v = state[1], vmax = a.amsgrad() ? state[2] : null;
        for (int i = 0; i < p.length; i++) {
            float theta = p[i];
            if (s.shrink) theta = theta * s.shrinkBy;
            float g = maximize ? -grad[i] : grad[i];
            if (s.coupled) g = g + s.wd * theta;
            float mi = m[i] * s.b1 + s.oneMinusB1 * g;
            float vi = v[i] * s.b2 + s.oneMinusB2 * g * g;
            m[i] = mi;
            v[i] = vi;
            if (vmax != null) {
                vi = Math.max(vmax[i], vi);
                vmax[i] = vi;
            }
            float denom = (float) Math.sqrt(vi) / s.bc2Sqrt + s.e;
            p[i] = theta + s.negStepSize * mi / denom;
        }
    }

    /** Random floats: normal of all scales, subnormal, zero, tiny, huge, NaN and infinite, either sign; runs of each kind. */
    private static float[] values(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        int kind = 0;
        for (int i = 0; i < n; i++) {
            if (rnd.nextInt(8) == 0) kind = rnd.nextInt(10);
            float x = switch (kind) {
                case 0, 1 -> (float) Math.scalb(rnd.nextDouble(1, 2), rnd.nextInt(-30, 10));
                case 2 -> Float.intBitsToFloat(1 + rnd.nextInt((1 << 23) - 1));                 // subnormal
                case 3 -> (float) Math.scalb(rnd.nextDouble(1, 2), rnd.nextInt(-126, -49));    // tiny normal
                case 4 -> rnd.nextInt(20) == 0 ? TinyValues.BELOW : Math.nextDown(TinyValues.BELOW);
                case 5 -> 0f;
                case 6 -> (float) Math.scalb(rnd.nextDouble(1, 2), rnd.nextInt(60, 128));      // huge
                case 7 -> switch (rnd.nextInt(3)) { case 0 -> Float.NaN; case 1 -> Float.POSITIVE_INFINITY; default -> Float.MAX_VALUE; };
                case 8 -> Float.intBitsToFloat(rnd.nextInt());                                 // any bits
                default -> (float) Math.scalb(rnd.nextDouble(1, 2), rnd.nextInt(-149, 128));
            };
            a[i] = rnd.nextBoolean() ? x : -x;
        }
        return a;
    }

    private static float[] nonNegative(float[] a) {
        for (int i = 0; i < a.length; i++) a[i] = Math.abs(a[i]);
        return a;
    }

    /** Same bits, NaNs compared as NaN (their payloads are not part of PyTorch's semantics either). */
    private static void assertSameBits(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                fail(what + ": element " + i + " expected " + expected[i] + " (0x" + Integer.toHexString(Float.floatToRawIntBits(expected[i]))
                        + ") but was " + actual[i] + " (0x" + Integer.toHexString(Float.floatToRawIntBits(actual[i])) + ")");
            }
        }
    }
}
