package dev.descent.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Writes {@code last.safetensors} (the state at an epoch's end) and {@code best.safetensors}
 * (the state at the epoch whose monitored metric was best so far), both atomically (temporary
 * file, forced to disk, then moved), so a crash mid-write never destroys the previous checkpoint.
 *
 * <p>How often: every epoch when {@code everySeconds} is 0 (Keras' and Lightning's
 * ModelCheckpoint); otherwise at an epoch's end only when at least {@code everySeconds} have passed
 * since this writer last wrote (as Lightning's {@code train_time_interval}), and always when
 * training ends, however it ends (completed, out of step budget, stopped by a callback or by
 * Ctrl-C, failed). A writer that skips an epoch keeps that epoch's checkpoint in memory, so what
 * training ends with on disk is always the latest epoch end, exactly as with a write every epoch:
 * the interval only decides how much work a crash (kill -9, power loss) can cost, never the
 * content of the files a run leaves. Why an interval: a file forced to disk twice (the file and
 * the directory's rename) takes milliseconds, which a run of tiny epochs (32 steps of a few
 * microseconds) would otherwise pay every epoch.
 *
 * <p>The best value is part of every checkpoint, so a resumed run rewrites best.safetensors exactly
 * when the uninterrupted run would. A pending best is written together with the next last, best
 * first: the two files on disk always come from the same write, or best is the newer one (a crash
 * between them), which a resume from last repairs by redoing those epochs (they rewrite the same best).
 */
final class CheckpointWriter implements Callback {
    private final Path dir;
    private final String monitor;
    private final boolean higherIsBetter;
    private final long everyNanos;
    private final LongSupplier clock;
    private double best = Double.NaN;
    /** When this writer last wrote (or training started): the interval counts from there. */
    private long lastWrite;
    /** The latest epoch end's checkpoint and the best one, not yet written (null when written). */
    private Checkpoint pendingLast, pendingBest;
    private int writes;

    CheckpointWriter(Path dir, String monitor, boolean higherIsBetter, double everySeconds) {
        this(dir, monitor, higherIsBetter, everySeconds, System::nanoTime);
    }

    /** As above, with the clock the interval is measured on (nanoseconds; tests pass their own). */
    CheckpointWriter(Path dir, String monitor, boolean higherIsBetter, double everySeconds, LongSupplier clock) {
        if (!(everySeconds >= 0) || Double.isInfinite(everySeconds)) {
            throw new IllegalArgumentException("checkpoint: every_seconds must be a finite number >= 0, got " + everySeconds);
        }
        this.dir = dir;
        this.monitor = monitor;
        this.higherIsBetter = higherIsBetter;
        this.everyNanos = (long) (everySeconds * 1e9);
        this.clock = clock;
    }

    @Override
    public void onEvent(TrainingEvent event, TrainingControl control) {
        try {
            switch (event) {
                case TrainingEvent.Start s -> lastWrite = clock.getAsLong();
                case TrainingEvent.EpochEnd e -> {
                    Double v = monitor == null ? null : e.metrics().get(monitor);
                    boolean improved = v != null && (Double.isNaN(best) || (higherIsBetter ? v > best : v < best));
                    // The best value is updated before the capture, so both checkpoints carry it.
                    if (improved) best = v;
                    Checkpoint now = control.checkpoint();
                    if (improved) pendingBest = now;
                    pendingLast = now;
                    if (clock.getAsLong() - lastWrite >= everyNanos) writePending();
                }
                case TrainingEvent.End e -> {
                    try {
                        writePending();
                    } catch (IOException x) {
                        // A failed run reports its own failure; its previous checkpoint stays.
                        if (!e.reason().startsWith("failed")) throw x;
                    }
                }
                default -> { }
            }
        } catch (IOException x) {
            throw new UncheckedIOException("cannot write checkpoint in " + dir + ": " + x.getMessage(), x);
        }
    }

    /** Writes the pending best, then the pending last (see the class comment for why in that order). */
    private void writePending() throws IOException {
        if (pendingLast == null) return;
        Files.createDirectories(dir);
        if (pendingBest != null) pendingBest.save(dir.resolve(RunFiles.BEST));
        pendingBest = null;
        pendingLast.save(dir.resolve(RunFiles.LAST));
        pendingLast = null;
        writes++;
        lastWrite = clock.getAsLong();
    }

    /** How many times this writer has written last.safetensors (for tests). */
    int writes() {
        return writes;
    }

    @Override
    public String stateKey() {
        return "checkpoint";
    }

    /** The best monitored value so far (NaN before the first), which decides when best.safetensors is rewritten. */
    @Override
    public CallbackState state() {
        return monitor == null ? CallbackState.EMPTY : CallbackState.of(Map.of("best", Double.toString(best)));
    }

    @Override
    public void restore(CallbackState saved) {
        best = saved.number(stateKey(), "best");
    }
}
