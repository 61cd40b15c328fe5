package dev.descent.optim;

import java.util.Arrays;
import java.util.Collections;
import dev.descent.schedule.PlateauState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything an optimizer needs to continue exactly where it stopped: the number of updates taken,
 * each parameter's own update count (a parameter without a gradient at some step is skipped, as in
 * PyTorch, so its count can lag) and every state buffer, keyed {@code "<param>/<buffer>"} with
 * PyTorch's buffer names, for example {@code "0.weight/exp_avg"}.
 *
 * <p>The record copies what it is given and what it returns, so a saved state never changes under
 * the optimizer's feet; {@link #equals} compares buffer contents bit for bit.
 *
 * @param step number of updates the optimizer has applied
 * @param paramSteps update count of each parameter, by parameter name
 * @param buffers state buffers by {@code "<param>/<buffer>"}
 * @param schedules the state of every metric-driven schedule rule of the optimizer's groups
 *                  ({@link Optimizer#state()} says in which order), empty when all are pure
 *                  functions of the step
 */
public record OptimizerState(long step, Map<String, Long> paramSteps, Map<String, float[]> buffers, List<PlateauState> schedules) {
    public OptimizerState {
        if (step < 0) throw new IllegalArgumentException("Invalid step: " + step + " (must be >= 0)");
        Objects.requireNonNull(paramSteps, "paramSteps");
        Objects.requireNonNull(buffers, "buffers");
        paramSteps = Collections.unmodifiableMap(new LinkedHashMap<>(paramSteps));
        buffers = Collections.unmodifiableMap(deepCopy(buffers));
        schedules = List.copyOf(schedules);
    }

    /** A state without metric-driven schedule rules. */
    public OptimizerState(long step, Map<String, Long> paramSteps, Map<String, float[]> buffers) {
        this(step, paramSteps, buffers, List.of());
    }

    /** A copy of the buffers (the arrays are copies too). */
    @Override
    public Map<String, float[]> buffers() {
        return deepCopy(buffers);
    }

    /** A copy of one buffer, or null when there is none under that key. */
    public float[] buffer(String key) {
        float[] b = buffers.get(key);
        return b == null ? null : b.clone();
    }

    /** Read-only view for the optimizer, which copies out of it. */
    Map<String, float[]> buffersView() {
        return buffers;
    }

    private static Map<String, float[]> deepCopy(Map<String, float[]> m) {
        Map<String, float[]> copy = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : m.entrySet()) {
            copy.put(Objects.requireNonNull(e.getKey(), "buffer key"), Objects.requireNonNull(e.getValue(), e.getKey()).clone());
        }
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof OptimizerState other)) return false;
        if (step != other.step || !paramSteps.equals(other.paramSteps) || !buffers.keySet().equals(other.buffers.keySet())
                || !schedules.equals(other.schedules)) return false;
        for (Map.Entry<String, float[]> e : buffers.entrySet()) {
            float[] a = e.getValue();
            float[] b = other.buffers.get(e.getKey());
            if (a.length != b.length) return false;
            for (int i = 0; i < a.length; i++) {
                if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = (Long.hashCode(step) * 31 + paramSteps.hashCode()) * 31 + schedules.hashCode();
        for (Map.Entry<String, float[]> e : buffers.entrySet()) h = h * 31 + e.getKey().hashCode() ^ Arrays.hashCode(e.getValue());
        return h;
    }

    @Override
    public String toString() {
        return "OptimizerState[step=" + step + ", buffers=" + buffers.keySet() + (schedules.isEmpty() ? "" : ", schedules=" + schedules) + "]";
    }
}
