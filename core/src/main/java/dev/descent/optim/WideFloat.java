package dev.descent.optim;

/**
 * Float32 arithmetic carried out in double without ever making a float32 subnormal, for the
 * elements of an update whose float32 operations would touch subnormals: on x86 each such float
 * operation takes a slow microcode path (measured 5.5x on Adam's loop with 4% subnormal moments),
 * while doubles around 1e-40 are normal and fast. Java has no flush-to-zero switch, and flushing
 * would change PyTorch's bits anyway, so the same operations are redone exactly instead.
 *
 * <p>Why the bits are the same: a float32 operation {@code a op b} is the exact result rounded
 * once to float32. Computing it in double and rounding the double to float32 rounds twice, which
 * gives the same float32 for {@code +, -, *, /} and {@code sqrt} on float32 operands because
 * double's 53-bit significand is at least {@code 2 * 24 + 2} bits (Figueroa 1995, "When is double
 * rounding innocuous?"). In the subnormal range it holds too: a product of two floats is exact in
 * double, a sum whose float result is subnormal is exact in both formats, and a quotient near a
 * subnormal midpoint stays further from it than double's rounding error. Every value carried
 * between operations is therefore a float32 value held in a double.
 *
 * <p>{@link #round} performs the second rounding without a float32 subnormal: a normal, infinite or
 * NaN result goes through the ordinary conversion (whose result is then normal too, rounding being
 * monotone), a smaller one is rounded to the subnormal grid (multiples of 2^-149) by adding and
 * subtracting 2^-97, whose ulp in double is 2^-149 (the addition rounds to nearest, ties to even,
 * as float32's subnormal rounding does), and takes back its sign so that -0 stays -0.
 */
final class WideFloat {
    /** 2^-97: doubles in [2^-97, 2^-96) are spaced 2^-149 apart, float32's subnormal spacing. */
    private static final double SUBNORMAL_GRID = 0x1p-97;

    private WideFloat() {}

    /** The value of {@code f} as a double, read from its bits when it is subnormal (no float operation on it). */
    static double of(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7f80_0000) != 0 || (bits & 0x7fff_ffff) == 0) return f;
        double a = (bits & 0x007f_ffff) * 0x1p-149;
        return bits < 0 ? -a : a;
    }

    /** {@code x} rounded to the nearest float32 value (ties to even), as a double. */
    static double round(double x) {
        double a = Math.abs(x);
        if (!(a < Float.MIN_NORMAL)) return (float) x;
        return Math.copySign((a + SUBNORMAL_GRID) - SUBNORMAL_GRID, x);
    }

    /**
     * The float32 whose value {@code r} holds (a result of {@link #round}), built from its bits when
     * it is subnormal so that no float operation produces the subnormal.
     */
    static float toFloat(double r) {
        double a = Math.abs(r);
        if (a == 0 || !(a < Float.MIN_NORMAL)) return (float) r;
        int sign = Double.doubleToRawLongBits(r) < 0 ? 0x8000_0000 : 0;
        return Float.intBitsToFloat(sign | (int) (a * 0x1p149));
    }
}
