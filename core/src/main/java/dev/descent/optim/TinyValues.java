package dev.descent.optim;

/**
 * Which float32 values are small enough (nonzero, {@code |x| < 2^-50}) that an update rule's float
 * operations on them may produce or read a subnormal, so that the rule computes those elements with
 * {@link WideFloat} instead. The test reads the bits only (integer operations), so testing a
 * subnormal is itself fast. Zero is not tiny: products of zero are zero, never subnormal.
 *
 * <p>The threshold is a speed setting, never a correctness one: {@link WideFloat} gives the same
 * bits as the float code for every input. 2^-50 keeps Adam's intermediates normal at its usual
 * hyperparameters (the smallest is {@code (1 - beta2) * g * g}: 2^-10 * 2^-100 = 2^-110 for
 * {@code beta2 = 0.999}; a sum of two addends of at least 2^-60 is zero or at least 2^-84), which
 * {@code AdamSubnormalTest} checks operation by operation at the threshold. A rule may ask more of
 * an operand that it multiplies by a small scalar (Adam's parameters under coupled weight decay:
 * {@code wd * theta} becomes part of the gradient), with {@link #limitFor}.
 */
final class TinyValues {
    /** Nonzero values below this magnitude are tiny. */
    static final float BELOW = 0x1p-50f;

    /** Keys below this are tiny (see {@link #key}). */
    static final int LIMIT = limitFor(BELOW);

    private TinyValues() {}

    /** The limit for "nonzero and below {@code below}" (a positive float; for a value that must stay larger). */
    static int limitFor(float below) {
        return Integer.MIN_VALUE + Float.floatToRawIntBits(below) - 1;
    }

    /** Whether {@code x} is nonzero and below {@link #BELOW} in magnitude (NaN and infinities are not). */
    static boolean isTiny(float x) {
        return isTiny(x, LIMIT);
    }

    /** Whether {@code x} is nonzero and below the magnitude {@code limit} stands for (see {@link #limitFor}). */
    static boolean isTiny(float x, int limit) {
        return key(x) < limit;
    }

    /** Whether any of {@code a[from, to)} is tiny; a branch-free minimum over the block's keys. */
    static boolean anyIn(float[] a, int from, int to) {
        return anyIn(a, from, to, LIMIT);
    }

    /** Whether any of {@code a[from, to)} is below the magnitude {@code limit} stands for, zero apart. */
    static boolean anyIn(float[] a, int from, int to, int limit) {
        int min = Integer.MAX_VALUE;
        for (int i = from; i < to; i++) min = Math.min(min, key(a[i]));
        return min < limit;
    }

    /**
     * The magnitude's bits minus one, as an unsigned number made signed: zero maps to the largest
     * key, a nonzero magnitude to a key increasing with it, so one signed comparison tests
     * "nonzero and below".
     */
    static int key(float x) {
        return ((Float.floatToRawIntBits(x) & 0x7fff_ffff) - 1) ^ Integer.MIN_VALUE;
    }
}
