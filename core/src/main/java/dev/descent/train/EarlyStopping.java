package dev.descent.train;

import dev.descent.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stops training when a monitored metric has not improved by more than {@code minDelta} for
 * {@code patience} consecutive evaluations (Keras' EarlyStopping), and, when
 * {@code restoreBest}, puts the weights of the best evaluation back into the model when training
 * ends, whatever ended it.
 *
 * <p>Its state (best value, evaluations without improvement, whether it stopped the run and,
 * with {@code restoreBest}, the best weights) goes into every checkpoint, so a resumed run stops where the uninterrupted one
 * would and restores the same weights.
 */
final class EarlyStopping implements Callback {
    private final String monitor;
    private final int patience;
    private final double minDelta;
    private final boolean higherIsBetter;
    private final boolean restoreBest;
    private double best = Double.NaN;
    private int bad;
    private Map<String, Tensor> bestState;
    /** Whether it has asked the loop to stop: a run resumed from a checkpoint taken after that stops again at once. */
    private boolean stopped;

    EarlyStopping(String monitor, int patience, double minDelta, boolean higherIsBetter, boolean restoreBest) {
        if (patience < 0) throw new IllegalArgumentException("early stopping: patience must be >= 0, got " + patience);
        this.monitor = monitor;
        this.patience = patience;
        this.minDelta = Math.abs(minDelta);
        this.higherIsBetter = higherIsBetter;
        this.restoreBest = restoreBest;
    }

    @Override
    public void onEvent(TrainingEvent event, TrainingControl control) {
        if (event instanceof TrainingEvent.Evaluated e) {
            Double v = e.metrics().get(monitor);
            if (v == null) {
                throw new IllegalArgumentException("early stopping monitors '" + monitor + "', which is not computed (available: "
                        + e.metrics().keySet() + ")");
            }
            boolean improved = Double.isNaN(best) ? !Double.isNaN(v) : higherIsBetter ? v > best + minDelta : v < best - minDelta;
            if (improved) {
                best = v;
                bad = 0;
                if (restoreBest) {
                    bestState = new LinkedHashMap<>();
                    control.model().stateDict().forEach((k, t) -> bestState.put(k, t.copy()));
                }
            } else if (++bad >= patience) {
                stopped = true;
                control.requestStop(reason());
            }
        } else if (event instanceof TrainingEvent.Start && stopped) {
            control.requestStop(reason());
        } else if (event instanceof TrainingEvent.End && restoreBest && bestState != null) {
            control.model().loadStateDict(bestState, true);
        }
    }

    private String reason() {
        return "early stopping: " + monitor + " did not improve on " + best + " for " + bad + " evaluations";
    }

    double best() {
        return best;
    }

    @Override
    public String stateKey() {
        return "early_stopping";
    }

    @Override
    public CallbackState state() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("best", Double.toString(best));
        values.put("bad", Integer.toString(bad));
        values.put("stopped", Boolean.toString(stopped));
        return new CallbackState(values, bestState == null ? Map.of() : bestState);
    }

    @Override
    public void restore(CallbackState saved) {
        double b = saved.number(stateKey(), "best");
        int n = (int) saved.number(stateKey(), "bad");
        if (n < 0) throw new IllegalArgumentException("checkpoint: early stopping state 'bad' is negative: " + n);
        best = b;
        bad = n;
        stopped = Boolean.parseBoolean(saved.value(stateKey(), "stopped"));
        bestState = saved.tensors().isEmpty() ? null : new LinkedHashMap<>(saved.tensors());
    }
}
