package dev.descent.tensor.kernel;

/**
 * Float32 exp, log, tanh, sigmoid, softplus and erf built only from operations that the Vector API
 * computes identically: IEEE float add, subtract, multiply, divide and {@link Math#fma} (each
 * rounded once), integer arithmetic and shifts on the bit patterns, comparisons and selects.
 * {@link VectorFloatMath} performs the same operations in the same order lane by lane, so the
 * scalar and vector kernels return the same bits by construction, on any hardware.
 *
 * <p>Method: Cody and Waite style argument reduction (W. J. Cody and W. Waite, <i>Software Manual
 * for the Elementary Functions</i>, 1980) followed by a short polynomial, as in most libm
 * implementations of single precision.
 * <ul>
 * <li>exp: x = k ln2 + r with k = round(x / ln2) and |r| &lt;= ln2/2 (plus a hair, from rounding);
 *     ln2 is split into the float {@code LN2_HI} plus a tiny {@code LN2_LO}, and x - k*LN2_HI taken
 *     with one FMA is exact (the product is exact inside the FMA, and the difference, below 1/2
 *     and a multiple of x's or LN2_HI's ulp, fits in 24 bits); e^r = 1 + r + r^2 q(r) with q of
 *     degree 4; the result is scaled by 2^k built in the exponent bits.</li>
 * <li>log: x = 2^k m with m in [sqrt(1/2), sqrt(2)) taken from the bits; with f = m - 1 (exact) and
 *     s = f / (2 + f), log(1 + f) = 2 atanh(s) = f - s (f - R(s^2)) where R is the atanh series
 *     2z/3 + 2z^2/5 + 2z^3/7 + 2z^4/9 (|s| &lt;= 0.172, so the dropped terms are below 2^-28).</li>
 * <li>tanh: below |x| = 0.625 a polynomial a + a^3 g(a^2); above, 1 - 2 / (e^(2|x|) + 1).</li>
 * <li>sigmoid: q = e^-|x| / (1 + e^-|x|), then q for x &lt; 0 and 1 - q otherwise: never overflows.</li>
 * <li>softplus: max(x, 0) + log1p(e^-|x|), with log1p(u) = log(w) + (u - (w - 1)) / w for
 *     w = 1 + u rounded (the second term restores what rounding 1 + u lost).</li>
 * <li>gelu: (x / 2) (1 + erf(x / sqrt 2)); its derivative (1 + erf(x / sqrt 2)) / 2 + x e^(-x^2 / 2) / sqrt(2 pi),
 *     from erf and exp above (so within a few ulp where no cancellation occurs).</li>
 * <li>erf: below |x| = 1, |x| + |x| h(x^2) with h(0) = 2/sqrt(pi) - 1; above, 1 - e^(p(|x| - 2.5)) where p fits log erfc on [1, 4]
 *     (fitting the logarithm keeps the relative error of erfc small over its range of 10^-8).</li>
 * </ul>
 * The polynomial coefficients are Chebyshev fits rounded to float, from
 * {@code scripts/fit-floatmath.py}. Measured errors against the float nearest the exact value are
 * in {@code FloatMathAccuracyTest}: at most 1 ulp for exp, log and tanh, 2 ulp for sigmoid, softplus and erf.
 * A one-off run over every float of the useful ranges (exp [-110, 90], log all positive floats,
 * tanh [-10, 10], sigmoid [-110, 110], softplus [-110, 25], erf [-5, 5]) found the same maxima,
 * with 98.6 to 99.8 percent of the results correctly rounded (sigmoid and softplus 93.5; every
 * result also equal to the vector kernel's).
 *
 * <p>Special values follow {@link Math}: NaN in gives the same NaN out; exp overflows to infinity
 * above about 88.72 and underflows gradually through the subnormals to +0 below about -103.97;
 * log(+-0) = -infinity, log(x &lt; 0) = NaN, log(+infinity) = +infinity, subnormal inputs are exact;
 * tanh and erf keep the sign of zero and reach +-1 (as rounding dictates) above |x| of about 9.01
 * and 3.92.
 */
public final class FloatMath {
    // exp reduction. Inputs are clamped to [EXP_LO, EXP_HI]: wide enough that the clamped value
    // already overflows or underflows to zero, narrow enough that k fits the two-step scaling.
    static final float EXP_HI = 89f;
    static final float EXP_LO = -110f;
    static final float LOG2E = 0x1.715476p0f;
    /** 1.5 * 2^23: adding it rounds a float of magnitude below 2^22 to an integer, left in the low bits. */
    static final float ROUNDER = 0x1.8p23f;
    static final int ROUNDER_BITS = 0x4B400000;
    /** ln2 = LN2_HI + LN2_LO to about 2^-53 (LN2_HI is the float nearest ln2). */
    static final float LN2_HI = 0x1.62e430p-1f;
    static final float LN2_LO = -0x1.05c610p-29f;
    static final float EXP_Q0 = 0x1.000000p-1f;
    static final float EXP_Q1 = 0x1.5554d8p-3f;
    static final float EXP_Q2 = 0x1.555516p-5f;
    static final float EXP_Q3 = 0x1.12106cp-7f;
    static final float EXP_Q4 = 0x1.6d1606p-10f;

    // log reduction: subtracting the bits of sqrt(1/2) makes the exponent field count from there.
    static final int SQRT_HALF_BITS = 0x3F3504F3;
    static final int MANTISSA_MASK = 0x007FFFFF;
    static final float MIN_NORMAL = Float.MIN_NORMAL;
    static final float TWO_POW_23 = 0x1p23f;
    static final float LOG_R1 = 2f / 3f;
    static final float LOG_R2 = 2f / 5f;
    static final float LOG_R3 = 2f / 7f;
    static final float LOG_R4 = 2f / 9f;

    /** Below this |x| tanh uses its polynomial, above it the exp formula (which then loses at most 1 bit). */
    static final float TANH_SMALL = 0.625f;
    /** tanh(9.5) rounds to 1; clamping there keeps e^(2|x|) finite. */
    static final float TANH_CLAMP = 9.5f;
    static final float TANH_G0 = -0x1.555556p-2f;
    static final float TANH_G1 = 0x1.1110eap-3f;
    static final float TANH_G2 = -0x1.ba08c4p-5f;
    static final float TANH_G3 = 0x1.64a976p-6f;
    static final float TANH_G4 = -0x1.116a16p-7f;
    static final float TANH_G5 = 0x1.2c83c0p-9f;

    /** erf: a + a h(a^2) below 1; above, 1 - e^(p(min(a, 4) - 2.5)); erf(4) rounds to 1. */
    static final float ERF_SMALL = 1f;
    static final float ERF_CLAMP = 4f;
    static final float ERFC_CENTER = 2.5f;
    /** 2/sqrt(pi) - 1, the Taylor term, so that erf is right for tiny arguments. */
    static final float ERF_H0 = 0x1.06eba8p-3f;
    static final float ERF_H1 = -0x1.812746p-2f;
    static final float ERF_H2 = 0x1.ce2ebcp-4f;
    static final float ERF_H3 = -0x1.b81a22p-6f;
    static final float ERF_H4 = 0x1.551658p-8f;
    static final float ERF_H5 = -0x1.abec54p-11f;
    static final float ERF_H6 = 0x1.5f78f0p-14f;
    static final float ERFC_P0 = -0x1.f3a2dcp2f;
    static final float ERFC_P1 = -0x1.569252p2f;
    static final float ERFC_P2 = -0x1.e3460ap-1f;
    static final float ERFC_P3 = -0x1.63d00cp-7f;
    static final float ERFC_P4 = 0x1.1bcf88p-9f;
    static final float ERFC_P5 = -0x1.b887c8p-12f;
    static final float ERFC_P6 = 0x1.442efcp-14f;
    static final float ERFC_P7 = -0x1.bec71ap-17f;
    static final float ERFC_P8 = 0x1.b77830p-20f;

    private FloatMath() {}

    /** e^x. */
    public static float exp(float x) {
        if (x != x) return x;
        // the clamp as comparisons: x is not NaN here and the bounds are not zero, so this is
        // Math.max(Math.min(x, HI), LO) exactly, without two calls in code not yet compiled by C2
        float xc = x < EXP_HI ? (x > EXP_LO ? x : EXP_LO) : EXP_HI;
        float t = Math.fma(xc, LOG2E, ROUNDER);
        float kf = t - ROUNDER;
        int k = Float.floatToRawIntBits(t) - ROUNDER_BITS;
        float r = Math.fma(kf, -LN2_HI, xc);
        r = Math.fma(kf, -LN2_LO, r);
        float q = Math.fma(Math.fma(Math.fma(Math.fma(EXP_Q4, r, EXP_Q3), r, EXP_Q2), r, EXP_Q1), r, EXP_Q0);
        float p = Math.fma(r * r, q, r) + 1f;
        // 2^k in two factors, each a normal float for k in [-159, 128]: the first product is exact,
        // the second rounds once (into the subnormals or to infinity where the result lies there).
        // Each factor 2^ki straight from its exponent bits (ki + 127) << 23, written out rather
        // than a helper: until C2 compiles the caller, every call is paid per element.
        int k1 = k >> 1;
        int k2 = k - k1;
        return p * Float.intBitsToFloat((k1 + 127) << 23) * Float.intBitsToFloat((k2 + 127) << 23);
    }

    /** Natural logarithm. */
    public static float log(float x) {
        // One test for the common case (a positive, finite, normal x), the rest off the main path:
        // fewer branches for code that runs before the JIT has compiled it, same results.
        if (x >= MIN_NORMAL && x < Float.POSITIVE_INFINITY) return logOfNormal(x, 0f);
        if (x != x) return x;
        if (x < 0f) return Float.NaN;
        if (x == 0f) return Float.NEGATIVE_INFINITY;
        if (x == Float.POSITIVE_INFINITY) return x;
        // subnormals: scale into the normal range (exactly) and take 23 off the exponent
        return logOfNormal(x * TWO_POW_23, 23f);
    }

    /** log(xs) - adjust * ln 2 for a positive finite normal xs. */
    private static float logOfNormal(float xs, float adjust) {
        int ix = Float.floatToRawIntBits(xs) - SQRT_HALF_BITS;
        int k = ix >> 23;
        float m = Float.intBitsToFloat((ix & MANTISSA_MASK) + SQRT_HALF_BITS);
        float kf = (float) k - adjust;
        float f = m - 1f;
        float s = f / (2f + f);
        float z = s * s;
        float rr = z * Math.fma(Math.fma(Math.fma(LOG_R4, z, LOG_R3), z, LOG_R2), z, LOG_R1);
        float log1pf = Math.fma(-s, f - rr, f);
        return Math.fma(kf, LN2_HI, Math.fma(kf, LN2_LO, log1pf));
    }

    /** Hyperbolic tangent. */
    public static float tanh(float x) {
        if (x != x) return x;
        float a = Math.abs(x);
        if (a < TANH_SMALL) return Math.copySign(Math.fma(a * (a * a), tanhPoly(a * a), a), x);
        float e = exp(2f * Math.min(a, TANH_CLAMP));
        return Math.copySign(1f - 2f / (e + 1f), x);
    }

    private static float tanhPoly(float z) {
        return Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(TANH_G5, z, TANH_G4), z, TANH_G3), z, TANH_G2), z, TANH_G1), z, TANH_G0);
    }

    /** Error function 2/sqrt(pi) times the integral of e^(-t^2) from 0 to x. */
    public static float erf(float x) {
        if (x != x) return x;
        float a = Math.abs(x);
        if (a < ERF_SMALL) return Math.copySign(Math.fma(a, erfSmallPoly(a * a), a), x);
        float t = Math.min(a, ERF_CLAMP) - ERFC_CENTER;
        return Math.copySign(1f - exp(erfcLogPoly(t)), x);
    }

    private static float erfSmallPoly(float z) {
        float h = Math.fma(Math.fma(Math.fma(ERF_H6, z, ERF_H5), z, ERF_H4), z, ERF_H3);
        return Math.fma(Math.fma(Math.fma(h, z, ERF_H2), z, ERF_H1), z, ERF_H0);
    }

    /** log erfc(t + 2.5) for t in [-1.5, 1.5]. */
    private static float erfcLogPoly(float t) {
        float p = Math.fma(Math.fma(Math.fma(ERFC_P8, t, ERFC_P7), t, ERFC_P6), t, ERFC_P5);
        p = Math.fma(Math.fma(Math.fma(p, t, ERFC_P4), t, ERFC_P3), t, ERFC_P2);
        return Math.fma(Math.fma(p, t, ERFC_P1), t, ERFC_P0);
    }

    /** 1 / sqrt 2 and 1 / sqrt(2 pi), rounded to float. */
    static final float FRAC_1_SQRT2 = 0x1.6a09e6p-1f;
    static final float FRAC_1_SQRT_2PI = 0x1.988454p-2f;

    /** Exact GELU, x Phi(x), as {@code (x * 0.5) * (1 + erf(x * (1 / sqrt 2)))}. */
    public static float gelu(float x) {
        return (x * 0.5f) * (1f + erf(x * FRAC_1_SQRT2));
    }

    /** GELU's derivative Phi(x) + x phi(x), as {@code 0.5 * (1 + erf(x / sqrt 2)) + x * (e^(x * x * -0.5) / sqrt(2 pi))}. */
    public static float geluGrad(float x) {
        float e = exp(x * x * -0.5f);
        return 0.5f * (1f + erf(x * FRAC_1_SQRT2)) + x * (e * FRAC_1_SQRT_2PI);
    }

    /** Logistic function 1 / (1 + e^-x). */
    public static float sigmoid(float x) {
        if (x != x) return x;
        return sigmoidOfExp(x, exp(-Math.abs(x)));
    }

    /**
     * {@link #sigmoid} given {@code e = exp(-|x|)}, for code that also needs
     * {@link #softplusOfExp} of x or -x (both take the same e) and computes it once.
     */
    public static float sigmoidOfExp(float x, float e) {
        float q = e / (1f + e);
        return x < 0f ? q : 1f - q;
    }

    /**
     * log(1 + e^x); x itself above 20, like {@link UnaryOp#SOFTPLUS} (PyTorch's threshold), by
     * arithmetic alone: see {@link #softplusOfExp}.
     */
    public static float softplus(float x) {
        if (x != x) return x;
        return softplusOfExp(x, exp(-Math.abs(x)));
    }

    /**
     * {@link #softplus} given {@code e = exp(-|x|)}; a NaN x gives NaN. {@code x > 0 ? x : 0} is
     * Math.max(x, 0) for a non-NaN x, signed zeros included, without a call in code not yet
     * compiled by C2.
     *
     * <p>No test for x above 20: there lp = log1p(e^-x) is below e^-20 = 2.1e-9, less than half
     * an ulp of x (2^-20 from 16 up), so x + lp rounds to x exactly, the thresholded result. A
     * test would be a branch that training takes only once its logits grow past 20, and C2,
     * having compiled it as never taken, recompiled the BCE loss when it first was.
     */
    public static float softplusOfExp(float x, float e) {
        float w = 1f + e;
        // w is in [1, 2] (or NaN, which the second term carries to lp): log's common case,
        // called without log's range tests, one call fewer per element before C2 compiles this
        float lp = logOfNormal(w, 0f) + (e - (w - 1f)) / w;
        return (x > 0f ? x : 0f) + lp;
    }
}
