package dev.descent.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The float32 buffers of one captured step, planned once: which buffer each of the step's
 * allocations (in the order the step makes them) gets when the step is replayed.
 *
 * <p>Made from what the capture saw: for each allocation its length, and when (if ever) its
 * storage was proven dead during the step (the autograd engine hands a gradient back the moment
 * its rule has run; see {@link Autograd}). An allocation reuses a buffer of its length whose last
 * occupant died before it was made (greedy, first dead first), otherwise it gets a buffer of its
 * own. Every buffer is free again when the step ends: nothing of a step outlives it except what
 * the caller of {@link CapturedStep} keeps by contract (parameter gradients until the next step's
 * {@code zeroGrad}).
 *
 * <p>Replay checks the plan as it goes ({@link #bufferFor}): an allocation of another length, or
 * a buffer whose occupant is still alive (the step died in another order), makes the replay
 * diverge; the step then finishes with fresh storage, as eagerly, and says why.
 */
final class BufferPlan {
    private final int[] lengths;        // per allocation
    private final int[] bufferOf;       // per allocation: index into buffers
    private final float[][] buffers;
    private final boolean[] busy;       // per buffer, during a replay
    private final Map<float[], Integer> indexOf = new IdentityHashMap<>();

    private BufferPlan(int[] lengths, int[] bufferOf, float[][] buffers) {
        this.lengths = lengths;
        this.bufferOf = bufferOf;
        this.buffers = buffers;
        this.busy = new boolean[buffers.length];
        for (int i = 0; i < buffers.length; i++) indexOf.put(buffers[i], i);
    }

    /**
     * The plan for a captured step's allocations: {@code arrays[i]} is allocation i's storage
     * (reused as a buffer where it starts one), {@code madeAt[i]} and {@code diedAt[i]} the event
     * counts at its allocation and its death ({@link Integer#MAX_VALUE} when it outlived the step).
     */
    static BufferPlan of(List<float[]> arrays, int[] madeAt, int[] diedAt) {
        int n = arrays.size();
        int[] lengths = new int[n];
        int[] bufferOf = new int[n];
        List<float[]> buffers = new ArrayList<>();
        List<Integer> freeAt = new ArrayList<>(); // per buffer: the event at which its last occupant died
        for (int i = 0; i < n; i++) {
            float[] a = arrays.get(i);
            lengths[i] = a.length;
            int chosen = -1;
            for (int b = 0; b < buffers.size(); b++) {
                if (buffers.get(b).length == a.length && freeAt.get(b) < madeAt[i]) {
                    chosen = b;
                    break;
                }
            }
            if (chosen < 0) {
                chosen = buffers.size();
                buffers.add(a);
                freeAt.add(0);
            }
            bufferOf[i] = chosen;
            freeAt.set(chosen, diedAt[i]);
        }
        return new BufferPlan(lengths, bufferOf, buffers.toArray(new float[0][]));
    }

    /** Allocations the plan covers. */
    int allocations() {
        return lengths.length;
    }

    /** Distinct buffers behind them. */
    int bufferCount() {
        return buffers.length;
    }

    /** Every buffer (to register or unregister ownership). */
    float[][] buffers() {
        return buffers;
    }

    /**
     * The buffer for allocation {@code i} of {@code length} floats, marked busy; or null with the
     * reason in {@code why[0]} when the replay diverges from the capture here.
     */
    float[] bufferFor(int i, int length, String[] why) {
        if (i >= lengths.length) {
            why[0] = "the step made more allocations than the " + lengths.length + " captured";
            return null;
        }
        if (lengths[i] != length) {
            why[0] = "allocation " + (i + 1) + " has " + length + " floats where the capture had " + lengths[i];
            return null;
        }
        int b = bufferOf[i];
        if (busy[b]) {
            why[0] = "allocation " + (i + 1) + " would reuse a buffer whose earlier tensor is still alive";
            return null;
        }
        busy[b] = true;
        return buffers[b];
    }

    /** Marks a buffer free (its tensor died); false when the array is not one of the plan's. */
    boolean free(float[] a) {
        Integer b = indexOf.get(a);
        if (b == null) return false;
        busy[b] = false;
        return true;
    }

    /** Whether the array is one of the plan's buffers. */
    boolean owns(float[] a) {
        return indexOf.containsKey(a);
    }

    /** The end of a step: every tensor of the step is dead. */
    void freeAll() {
        Arrays.fill(busy, false);
    }
}
