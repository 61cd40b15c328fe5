package dev.descent.tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One run of a {@link CapturedStep} on the calling thread, capturing or replaying: the hook
 * through which every float32 allocation of the step ({@link Tensor#allocate},
 * {@link Tensor#allocateOverwritten}) and every proven death ({@link StoragePool#give}) passes.
 *
 * <p>Capturing, an allocation takes storage as eagerly (the pool, else a new array) and is
 * recorded with its event count; a death of recorded storage is recorded and kept from the pool.
 * Replaying, the k-th allocation gets the plan's buffer for k (zeroed when the caller asked for
 * zeros, as {@code new float[n]} would be), and a death frees its buffer for the next allocation
 * that the plan gives it to. Allocations on other threads (the data loader's) never pass here.
 */
final class StepSession {
    private static final ThreadLocal<StepSession> ACTIVE = new ThreadLocal<>();
    /** Storage owned by some live plan or capture: never handed to the pool. */
    private static final Set<float[]> OWNED = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    private final BufferPlan plan;     // null while capturing
    // capture only: a replay (every step but a signature's first) makes none of these
    private final List<float[]> arrays;
    private final Map<float[], Integer> slotOf;
    private int[] madeAt, diedAt;
    private int events;
    // replay
    private int next;
    private String divergence;
    private final String[] why = new String[1]; // bufferFor's out-parameter, one per step rather than per allocation

    private StepSession(BufferPlan plan) {
        this.plan = plan;
        boolean capturing = plan == null;
        this.arrays = capturing ? new ArrayList<>() : null;
        this.slotOf = capturing ? new IdentityHashMap<>() : null;
        this.madeAt = capturing ? new int[64] : null;
        this.diedAt = capturing ? new int[64] : null;
    }

    static StepSession capture() {
        return open(new StepSession(null));
    }

    static StepSession replay(BufferPlan plan) {
        return open(new StepSession(plan));
    }

    private static StepSession open(StepSession s) {
        if (ACTIVE.get() != null) throw new IllegalStateException("a captured step is already running on this thread (steps do not nest)");
        ACTIVE.set(s);
        return s;
    }

    /** Storage for an allocation of n floats on this thread, or null when no session is running. */
    static float[] take(int n, boolean zeroed) {
        StepSession s = ACTIVE.get();
        return s == null ? null : s.allocate(n, zeroed);
    }

    /**
     * Whether the array is a step's storage, which the pool must not take: a death inside this
     * thread's session is recorded; storage of a live plan given back after its step (a release
     * scope closing) is simply dead already.
     */
    static boolean claims(float[] a) {
        StepSession s = ACTIVE.get();
        if (s != null && s.died(a)) return true;
        return OWNED.contains(a);
    }

    static void own(float[][] buffers) {
        for (float[] b : buffers) OWNED.add(b);
    }

    static void disown(float[][] buffers) {
        for (float[] b : buffers) OWNED.remove(b);
    }

    private float[] allocate(int n, boolean zeroed) {
        if (plan != null && divergence == null) {
            float[] b = plan.bufferFor(next++, n, why);
            if (b != null) {
                if (zeroed) java.util.Arrays.fill(b, 0f);
                return b;
            }
            divergence = why[0];
        }
        float[] a = zeroed ? StoragePool.take(n) : StoragePool.takeDirty(n);
        if (a == null) a = new float[n];
        if (plan == null) record(a);
        return a;
    }

    private void record(float[] a) {
        int i = arrays.size();
        if (i == madeAt.length) {
            madeAt = java.util.Arrays.copyOf(madeAt, 2 * i);
            diedAt = java.util.Arrays.copyOf(diedAt, 2 * i);
        }
        arrays.add(a);
        slotOf.put(a, i);
        madeAt[i] = events++;
        diedAt[i] = Integer.MAX_VALUE;
        OWNED.add(a);
    }

    private boolean died(float[] a) {
        if (plan != null) return plan.free(a);
        Integer i = slotOf.get(a);
        if (i == null) return false;
        if (diedAt[i] == Integer.MAX_VALUE) diedAt[i] = events++;
        return true;
    }

    /**
     * Ends the session on this thread. Capturing: returns the plan made from what was recorded.
     * Replaying: returns null; {@link #divergence()} says whether and why the replay left the plan.
     */
    BufferPlan end() {
        ACTIVE.remove();
        if (plan != null) {
            // A shorter step (one stopped before its backward pass) used a prefix of the plan: still the plan.
            plan.freeAll();
            return null;
        }
        BufferPlan made = BufferPlan.of(arrays, java.util.Arrays.copyOf(madeAt, arrays.size()), java.util.Arrays.copyOf(diedAt, arrays.size()));
        // Arrays the plan did not keep as buffers are ordinary dead storage now.
        for (float[] a : arrays) if (!made.owns(a)) OWNED.remove(a);
        return made;
    }

    /** Why a replay left its plan (null when it followed it to the end). */
    String divergence() {
        return divergence;
    }

    /** Whether the calling thread is inside a captured step. */
    static boolean isActive() {
        return ACTIVE.get() != null;
    }
}
