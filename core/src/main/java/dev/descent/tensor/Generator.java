package dev.descent.tensor;

/**
 * An explicit, seeded random number generator. Descent has no global generator: every random
 * tensor, initializer, dropout mask and shuffle takes one of these, so a run is reproduced by its
 * seed alone.
 *
 * <p>Algorithm: SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014). Its whole state is one {@code long}, which {@link #state()} and
 * {@link #setState(long)} save and restore exactly, so a resumed run draws the same numbers as an
 * uninterrupted one. Normal variates use the Box-Muller transform with two fresh uniforms each
 * (no cached second value, so the state stays a single long).
 */
public final class Generator {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private long state;

    private Generator(long seed) {
        this.state = seed;
    }

    /** A generator whose sequence is determined by {@code seed}. */
    public static Generator seeded(long seed) {
        return new Generator(mix(seed ^ 0x5DEECE66DL));
    }

    /** The whole internal state, to be stored in a checkpoint. */
    public long state() {
        return state;
    }

    /** Restores a state returned by {@link #state()}. */
    public void setState(long state) {
        this.state = state;
    }

    /**
     * A new, statistically independent generator derived from this one (advances this one by a
     * step). Used to give each trial, fold or worker its own stream.
     */
    public Generator split() {
        return new Generator(mix(nextLong()) ^ mix(nextLong()));
    }

    /** Uniform 64-bit value. */
    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, 1) with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform integer in [0, bound), without modulo bias (Lemire's method). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive, got " + bound);
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xFFFFFFFFL;
        if (low < bound) {
            long threshold = (0x1_0000_0000L - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xFFFFFFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    /** Standard normal variate (Box-Muller). */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble(); // in (0, 1], so the log is finite
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
