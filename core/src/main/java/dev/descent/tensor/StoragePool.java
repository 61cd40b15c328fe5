package dev.descent.tensor;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Float32 storage proven dead, kept for the next allocation of the same length.
 *
 * <p>Why: a training step allocates its batch, its activations and their gradients afresh, and a
 * small CNN step throws away about 80 MB of them. The garbage collector then sizes its heap to
 * that rate (hundreds of megabytes of resident memory beyond the data) and promotes arrays still
 * in use mid-step. PyTorch frees each buffer the moment its reference count drops; Java cannot
 * know that for tensors a user might hold, so storage comes back here only where someone has
 * proven it dead: the autograd engine for gradients flowing backward, which no user code ever
 * sees (see {@link Autograd}), and {@link Tensor#release()} for callers that know their tensors'
 * lifetime (the Trainer's batches, parameter gradients between plain eager steps). A captured
 * step's storage never comes here: its {@link CapturedStep} plan reuses it.
 *
 * <p>One pool for the process, not one per thread: a batch is gathered on the data loader's
 * thread and released on the training thread. Taking and giving happen once per tensor, not per
 * element, so the lock is never contended in practice.
 *
 * <p>Arrays come back zeroed, exactly as {@code new float[n]} would, so no result changes;
 * kernels that write every element take them as they are ({@link Tensor#allocateOverwritten}).
 * Only arrays of at least {@link #MIN_LENGTH} floats are kept (smaller ones cost the JVM almost
 * nothing, and no parameter buffer of a small model can ever be mistaken for one), at most
 * {@link #PER_LENGTH} of each length and {@link #MAX_FLOATS} in all; beyond that a released array
 * is left to the collector.
 */
final class StoragePool {
    static final int MIN_LENGTH = 1 << 12;
    static final int PER_LENGTH = 8;
    static final long MAX_FLOATS = 1L << 26; // 256 MB

    /** Switch for measurements and tests ({@code -Ddescent.recycle=false}). */
    private static volatile boolean enabled = !"false".equals(System.getProperty("descent.recycle"));

    private static final Map<Integer, ArrayDeque<float[]>> FREE = new HashMap<>();
    private static long pooled;

    private StoragePool() {}

    /** Whether freed buffers are recycled (tests restore it). */
    static boolean enabled() {
        return enabled;
    }

    static void setEnabled(boolean on) {
        enabled = on;
    }

    /** A zeroed array of length n from the pool, or null when it holds none. */
    static float[] take(int n) {
        float[] a = takeDirty(n);
        if (a != null) Arrays.fill(a, 0f);
        return a;
    }

    /**
     * An array of length n from the pool with whatever it last held, or null: for a caller that
     * overwrites every element.
     */
    static float[] takeDirty(int n) {
        if (n < MIN_LENGTH || !enabled) return null;
        synchronized (FREE) {
            ArrayDeque<float[]> q = FREE.get(n);
            float[] a = q == null ? null : q.pollLast();
            if (a != null) pooled -= n;
            return a;
        }
    }

    /**
     * Hands a dead array to the pool. The caller guarantees that nothing reads or writes it any
     * more; the pool ignores an array it already holds, as a guard against a double release.
     */
    static void give(float[] a) {
        int n = a.length;
        if (n < MIN_LENGTH || !enabled) return;
        if (StepSession.claims(a)) return; // a captured step's storage: its plan reuses it
        synchronized (FREE) {
            if (pooled + n > MAX_FLOATS) return;
            ArrayDeque<float[]> q = FREE.computeIfAbsent(n, k -> new ArrayDeque<>(PER_LENGTH));
            if (q.size() >= PER_LENGTH) return;
            for (float[] held : q) if (held == a) return;
            q.addLast(a);
            pooled += n;
        }
    }

    /** Floats pooled (for tests). */
    static long pooledFloats() {
        synchronized (FREE) {
            return pooled;
        }
    }

    /** Empties the pool (for tests). */
    static void clear() {
        synchronized (FREE) {
            FREE.clear();
            pooled = 0;
        }
    }
}
