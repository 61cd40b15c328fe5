package dev.descent.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes {@code last.safetensors} at the end of every epoch and {@code best.safetensors}
 * whenever the monitored metric improves, both atomically (temporary file, then move), so a crash
 * mid-write never destroys the previous checkpoint.
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
                control.checkpoint().save(dir.resolve(RunFiles.LAST));
                Double v = monitor == null ? null : e.metrics().get(monitor);
                if (v != null && (Double.isNaN(best) || (higherIsBetter ? v > best : v < best))) {
                    best = v;
                    control.checkpoint().save(dir.resolve(RunFiles.BEST));
                }
            }
        } catch (IOException x) {
            throw new UncheckedIOException("cannot write checkpoint in " + dir + ": " + x.getMessage(), x);
        }
    }
}
