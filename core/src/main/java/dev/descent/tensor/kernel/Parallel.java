package dev.descent.tensor.kernel;

/**
 * The one thread pool every kernel shares, so no two pools of Descent ever compete for cores.
 * The thread count defaults to the available processors and is set by {@link #setThreads(int)}
 * (the command line's {@code --threads}).
 *
 * <p>Determinism: kernels split work by <em>output</em> ranges only, and every output is computed
 * by exactly the same sequence of operations whichever thread runs it, so results are
 * bit-identical for any thread count.
 */
public final class Parallel {
    private static volatile int threads = Runtime.getRuntime().availableProcessors();
    private static volatile WorkerPool pool;

    private Parallel() {}

    /** Number of threads kernels use (1 means everything runs on the caller). */
    public static int threads() {
        return threads;
    }

    /** Sets the number of threads kernels use; at least 1. */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be at least 1, got " + n);
        if (n != threads) {
            WorkerPool old = pool;
            pool = null;
            threads = n;
            if (old != null) old.shutdown();
        }
    }

    private static WorkerPool pool() {
        WorkerPool p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                p = pool;
                if (p == null) {
                    p = new WorkerPool(threads);
                    pool = p;
                }
            }
        }
        return p;
    }

    /** Body of a parallel loop over the index range [from, to). */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    /**
     * Whether {@link #forRange} with these arguments would run its body once on the caller over
     * the whole range: callers then run the body directly and skip making a lambda, whose first
     * use defines a class (a small model's first training step linked a dozen of them).
     */
    public static boolean runsInline(int n, int grain) {
        return chunks(n, grain) <= 1 || n <= 1;
    }

    private static int chunks(int n, int grain) {
        return Math.min(threads, Math.max(1, n / Math.max(1, grain)));
    }

    /**
     * Runs {@code body} over [0, n) split into at most {@link #threads()} contiguous chunks of at
     * least {@code grain} indices each. Runs inline when one chunk suffices.
     */
    public static void forRange(int n, int grain, Range body) {
        int chunks = chunks(n, grain);
        if (chunks <= 1 || n <= 1) {
            if (n > 0) body.run(0, n);
            return;
        }
        forChunks(n, chunks, body);
    }

    /** Runs {@code body} over [0, n) split into exactly {@code chunks} near-equal contiguous parts. */
    public static void forChunks(int n, int chunks, Range body) {
        if (n <= 0) return;
        if (chunks <= 1 || threads == 1 || !pool().run(n, chunks, body)) body.run(0, n);
    }
}
