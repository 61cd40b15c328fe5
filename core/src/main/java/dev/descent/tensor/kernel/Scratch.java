package dev.descent.tensor.kernel;

/**
 * Per-thread scratch arrays that kernels reuse across calls instead of allocating (and having the
 * JVM zero) megabytes per call: a convolution over a batch of 128 images needs tens of megabytes
 * of column and transpose buffers on every forward and backward pass.
 *
 * <p>Contents are undefined on return: callers must overwrite every element they later read.
 * Each slot is owned by one call site at a time; a thread holds at most {@link #SLOTS} arrays,
 * each as large as the largest request it has seen.
 */
public final class Scratch {
    /** Number of distinct slots; callers name theirs with a constant below this. */
    public static final int SLOTS = 4;

    private static final ThreadLocal<float[][]> ARRAYS = ThreadLocal.withInitial(() -> new float[SLOTS][]);

    private Scratch() {}

    /** A float array of at least {@code length} elements for {@code slot} on this thread. */
    public static float[] floats(int slot, int length) {
        float[][] arrays = ARRAYS.get();
        float[] a = arrays[slot];
        if (a == null || a.length < length) {
            a = new float[length];
            arrays[slot] = a;
        }
        return a;
    }
}
