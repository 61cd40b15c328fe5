package dev.descent.spark;

import dev.descent.train.Callback;
import dev.descent.train.Checkpoint;
import dev.descent.train.GradientReducer;
import dev.descent.train.Trainer;
import dev.descent.train.TrainingControl;
import dev.descent.train.TrainingEvent;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checkpoints of a {@link SparkDataParallel} run made of {@code Trainer}s: rank 0 writes the
 * whole training state (weights, buffers, optimizer, step) to one file every {@code every}
 * steps, atomically; when Spark re-runs the failed stage, every rank resumes from that file.
 * Descent's checkpoints resume bit for bit and sharded steps draw dropout by (seed, step, shard),
 * so the run ends with the same weights as one that never failed. The file must be on storage
 * every executor reads (a shared file system).
 *
 * @param file  where rank 0 writes the checkpoint
 * @param every steps between checkpoints
 */
public record ReplicaCheckpoints(String file, long every) implements Serializable {
    public ReplicaCheckpoints {
        if (every < 1) throw new IllegalArgumentException("checkpoint interval must be at least 1 step, got " + every);
    }

    /** Resumes {@code trainer} on a re-run attempt, and makes rank 0 write the checkpoints. */
    public Trainer attach(Trainer trainer, GradientReducer reducer, int attempt) throws IOException {
        Path path = Path.of(file);
        if (attempt > 0 && Files.exists(path)) trainer.resume(Checkpoint.load(path));
        if (reducer.rank() == 0) trainer.callbacks(new Writer(path, every));
        return trainer;
    }

    private record Writer(Path path, long every) implements Callback {
        @Override
        public void onEvent(TrainingEvent event, TrainingControl control) {
            if (event instanceof TrainingEvent.Step s && s.step() % every == 0) {
                try {
                    control.checkpoint().save(path);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write checkpoint " + path + ": " + e.getMessage(), e);
                }
            }
        }
    }
}
