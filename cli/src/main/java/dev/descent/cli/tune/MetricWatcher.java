package dev.descent.cli.tune;

import dev.descent.train.Callback;
import dev.descent.train.TrainingControl;
import dev.descent.train.TrainingEvent;

/**
 * A callback that follows the searched metric through a run: after each validation it hands the
 * value to a listener (the trial's report and pruning question) and, when the listener says so,
 * asks the Trainer to stop. It only listens and asks; the Trainer trains.
 */
final class MetricWatcher implements Callback {
    /** Gets each validation's value (step counts validations from 1); returns true to stop the run. */
    @FunctionalInterface
    interface Listener {
        boolean next(int step, double value);
    }

    private final String metric;
    private final Listener listener;
    private int count;
    private double last = Double.NaN;
    private boolean stopped;

    MetricWatcher(String metric, Listener listener) {
        this.metric = metric;
        this.listener = listener;
    }

    @Override
    public void onEvent(TrainingEvent event, TrainingControl control) {
        if (!(event instanceof TrainingEvent.Evaluated e) || stopped) return;
        Double v = e.metrics().get(metric);
        if (v == null) return;
        count++;
        last = v;
        if (listener.next(count, v)) {
            stopped = true;
            control.requestStop("pruned by the search");
        }
    }

    /** Validations seen. */
    int count() {
        return count;
    }

    /** The metric at the last validation, NaN before the first. */
    double last() {
        return last;
    }

    /** Whether the listener stopped the run. */
    boolean stopped() {
        return stopped;
    }
}
