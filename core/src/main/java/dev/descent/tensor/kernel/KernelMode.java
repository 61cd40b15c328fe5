package dev.descent.tensor.kernel;

/**
 * Chooses between the Vector API kernels and their scalar twins.
 *
 * <p>The vector kernels need the incubator module {@code jdk.incubator.vector} (the launcher and
 * the build add it with {@code --add-modules jdk.incubator.vector}). Without it every kernel runs
 * its scalar twin, which computes exactly the same bits in the same order, only slower. The
 * JVM flag {@code -Ddescent.kernels=scalar} forces the scalar twins even when the module is
 * present (for comparisons); {@link #setVectorized(boolean)} does the same from code.
 */
public final class KernelMode {
    private static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    private static volatile boolean vectorized = AVAILABLE && !"scalar".equals(System.getProperty("descent.kernels"));

    private KernelMode() {}

    /** True when the incubator module is loaded, so vector kernels can run at all. */
    public static boolean vectorAvailable() {
        return AVAILABLE;
    }

    /** True when kernels currently run on the Vector API. */
    public static boolean vectorized() {
        return vectorized;
    }

    /**
     * Below this many elements a kernel call runs its scalar twin even in vector mode. The result
     * is the same bits (the twins agree by construction); what changes is warm-up: until C2 has
     * compiled them, Vector API calls run an emulation that costs microseconds each, and a model
     * whose every array is tiny (logistic regression on a batch of 32) never runs long enough to
     * earn back the compilation. Measured on the tiny benchmarks (10,000 steps, load ~5): 135-230
     * microseconds per step with vector kernels, 38-47 with scalar ones.
     */
    static final int SMALL = 128;

    /** Whether a call over {@code n} elements should run the vector kernel. */
    public static boolean vectorFor(long n) {
        return vectorized && n >= SMALL;
    }

    /** Turns vector kernels on or off; turning them on without the module is an error. */
    public static void setVectorized(boolean on) {
        if (on && !AVAILABLE) {
            throw new IllegalStateException("vector kernels need the JVM flag --add-modules jdk.incubator.vector");
        }
        vectorized = on;
    }

    /** One line for {@code descent info}: which kernels run and at what vector width. */
    public static String describe() {
        if (!vectorized) {
            return AVAILABLE ? "scalar (forced; Vector API available)" : "scalar (add --add-modules jdk.incubator.vector for vector kernels)";
        }
        return "Vector API, " + VectorInfo.describe();
    }
}
