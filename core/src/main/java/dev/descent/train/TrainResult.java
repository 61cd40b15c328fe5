package dev.descent.train;

import java.util.List;
import java.util.Map;

/**
 * The outcome of {@link Trainer#fit}.
 *
 * @param epochs      metrics of every completed epoch, in order
 * @param steps       optimizer steps taken in total (including before a resume)
 * @param reason      why training ended: "completed", or "stopped: ..." from a callback or the guard
 * @param seconds     wall time of this fit call
 * @param skipped     steps of this fit call whose loss was not finite and whose update was skipped
 *                    ({@link NonFinitePolicy#SKIP})
 */
public record TrainResult(List<Map<String, Double>> epochs, long steps, String reason, double seconds, long skipped) {
    public TrainResult {
        epochs = List.copyOf(epochs);
    }

    /** A result without skipped steps. */
    public TrainResult(List<Map<String, Double>> epochs, long steps, String reason, double seconds) {
        this(epochs, steps, reason, seconds, 0);
    }

    /** Metrics of the last completed epoch (empty when none completed). */
    public Map<String, Double> last() {
        return epochs.isEmpty() ? Map.of() : epochs.get(epochs.size() - 1);
    }
}
