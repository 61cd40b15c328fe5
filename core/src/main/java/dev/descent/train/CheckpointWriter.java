package dev.descent.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes {@code last.safetensors} at the end of every epoch and {@code best.safetensors}
 * whenever the monitored metric improves, both atomically (temporary file, then move), so a crash
 * mid-write never destroys the previous checkpoint. Its best value is part of every checkpoint, so
 * a resumed run overwrites best.safetensors exactly when the uninterrupted run would.
 */
final class CheckpointWriter implements Callback {
    private final Path dir;
    private final String monitor;
    private final boolean higherIsBetter;
    private double best = Double.NaN;

    CheckpointWriter(Path dir, String monitor, boolean higherIsBetter) {
        this.dir = dir;
        this.monitor = monitor;
        this.higherIsBetter = higherIsBetter;
    }

    @Override
    public void onEvent(TrainingEvent event, TrainingControl control) {
        try {
            if (event instanceof TrainingEvent.EpochEnd e) {
                Files.createDirectories(dir);
                Double v = monitor == null ? null : e.metrics().get(monitor);
                boolean improved = v != null && (Double.isNaN(best) || (higherIsBetter ? v > best : v < best));
                // The best value is updated before either file is written, so both carry it; best is
                // written before last, so a crash in between is repaired by redoing the epoch from
                // the previous last (which writes the same best again).
                if (improved) best = v;
                Checkpoint now = control.checkpoint();
                if (improved) now.save(dir.resolve(RunFiles.BEST));
                now.save(dir.resolve(RunFiles.LAST));
            }
        } catch (IOException x) {
            throw new UncheckedIOException("cannot write checkpoint in " + dir + ": " + x.getMessage(), x);
        }
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
