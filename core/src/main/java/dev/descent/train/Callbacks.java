package dev.descent.train;

import java.io.PrintStream;
import java.nio.file.Path;

/** The built-in callbacks. */
public final class Callbacks {
    private Callbacks() {}

    /**
     * Stops after {@code patience} evaluations without improvement of {@code monitor} and
     * restores the best weights at the end. Direction: names ending in "loss", "mse", "mae" or
     * "rmse" are minimized, others maximized.
     */
    public static Callback earlyStopping(String monitor, int patience) {
        return earlyStopping(monitor, patience, 0.0, higherIsBetter(monitor), true);
    }

    public static Callback earlyStopping(String monitor, int patience, double minDelta, boolean higherIsBetter, boolean restoreBest) {
        return new EarlyStopping(monitor, patience, minDelta, higherIsBetter, restoreBest);
    }

    /** last.safetensors every epoch and best.safetensors whenever val_loss improves. */
    public static Callback checkpoint(Path dir) {
        return checkpoint(dir, "val_loss");
    }

    /** last.safetensors every epoch and best.safetensors on improvement of {@code monitor} (null: last only). */
    public static Callback checkpoint(Path dir, String monitor) {
        return checkpoint(dir, monitor, 0);
    }

    /**
     * As {@link #checkpoint(Path, String)}, writing at an epoch's end only when at least
     * {@code everySeconds} have passed since the last write (0: every epoch), and always when
     * training ends: the files a run ends with are the same whatever the interval; it only bounds
     * the work a crash can cost. Tiny epochs then do not pay for a file forced to disk each.
     */
    public static Callback checkpoint(Path dir, String monitor, double everySeconds) {
        return new CheckpointWriter(dir, monitor, monitor != null && higherIsBetter(monitor), everySeconds);
    }

    /** JSON-lines log of steps (every {@code logEvery}-th), evaluations and epochs. */
    public static Callback metricsLog(Path file, int logEvery) {
        return new MetricsLog(file, logEvery);
    }

    /** Progress display; {@code terminal} redraws one line, otherwise plain lines every {@code plainEvery} steps. */
    public static Callback progress(PrintStream out, boolean terminal, int plainEvery) {
        return new Progress(out, terminal, plainEvery);
    }

    /** Whether larger values of a metric are better, judged by its name. */
    public static boolean higherIsBetter(String metric) {
        String m = metric.toLowerCase();
        return !(m.endsWith("loss") || m.endsWith("mse") || m.endsWith("mae") || m.endsWith("rmse"));
    }
}
