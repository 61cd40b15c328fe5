package dev.descent.tensor;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Float32 storage that the autograd engine has proven dead, kept per thread for the next
 * allocation of the same length.
 *
 * <p>Why: a training step allocates its activations and their gradients afresh, and a small CNN
 * step throws away about 80 MB of them. The garbage collector then sizes its young generation to
 * that rate (gigabytes of resident memory) and promotes arrays still in use mid-step. PyTorch
 * frees each buffer the moment its reference count drops; Java cannot know that for tensors a
 * user might hold, but the engine does know it for the gradients flowing backward, which no user
 * code ever sees: once a rule has consumed its incoming gradient and handed on none of its
 * storage, that array is dead (see {@link Autograd}). Recycling those arrays feeds the next
 * step's activations of the same sizes, so a steady training loop allocates little.
 *
 * <p>Arrays come back zeroed, exactly as {@code new float[n]} would, so no result changes;
 * kernels that write every element take them as they are ({@link Tensor#allocateOverwritten}). Only
 * arrays of at least {@link #MIN_LENGTH} floats are kept (smaller ones cost the JVM almost
 * nothing), at most {@link #PER_LENGTH} of each length and {@link #MAX_FLOATS} in all per thread;
 * beyond that a released array is left to the collector.
 */
final class StoragePool {
    static final int MIN_LENGTH = 1 << 12;
    static final int PER_LENGTH = 4;
    static final long MAX_FLOATS = 1L << 26; // 256 MB per thread

    private static final ThreadLocal<StoragePool> LOCAL = ThreadLocal.withInitial(StoragePool::new);
    /** Switch for measurements and tests ({@code -Ddescent.recycle=false}). */
    private static volatile boolean enabled = !"false".equals(System.getProperty("descent.recycle"));

    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    private long pooled;

    private StoragePool() {}

    static void setEnabled(boolean on) {
        enabled = on;
    }

    /** A zeroed array of length n from this thread's pool, or null when it holds none. */
    static float[] take(int n) {
        float[] a = takeDirty(n);
        if (a != null) Arrays.fill(a, 0f);
        return a;
    }

    /**
     * An array of length n from this thread's pool with whatever it last held, or null: for a
     * caller that overwrites every element.
     */
    static float[] takeDirty(int n) {
        if (n < MIN_LENGTH || !enabled) return null;
        StoragePool p = LOCAL.get();
        ArrayDeque<float[]> q = p.free.get(n);
        float[] a = q == null ? null : q.pollLast();
        if (a == null) return null;
        p.pooled -= n;
        return a;
    }

    /**
     * Hands a dead array to this thread's pool. The caller guarantees that nothing references it
     * any more; the pool ignores an array it already holds, as a guard.
     */
    static void give(float[] a) {
        int n = a.length;
        if (n < MIN_LENGTH || !enabled) return;
        StoragePool p = LOCAL.get();
        if (p.pooled + n > MAX_FLOATS) return;
        ArrayDeque<float[]> q = p.free.computeIfAbsent(n, k -> new ArrayDeque<>(PER_LENGTH));
        if (q.size() >= PER_LENGTH) return;
        for (float[] held : q) if (held == a) return;
        q.addLast(a);
        p.pooled += n;
    }

    /** Floats pooled on this thread (for tests). */
    static long pooledFloats() {
        return LOCAL.get().pooled;
    }

    /** Empties this thread's pool (for tests). */
    static void clear() {
        StoragePool p = LOCAL.get();
        p.free.clear();
        p.pooled = 0;
    }
}
