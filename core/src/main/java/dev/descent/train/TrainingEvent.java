package dev.descent.train;

import java.util.Map;

/**
 * What the training loop reports to its {@link Callback}s, in this order: one {@link Start};
 * per epoch an {@link EpochStart}, a {@link Step} per optimizer step (with {@link Evaluated}
 * events in between when validating every N steps), an {@link Evaluated} at the end of the epoch
 * when validating per epoch, and an {@link EpochEnd}; finally one {@link End}, however the run
 * ended (completed, stopped by a callback, or failed).
 */
public sealed interface TrainingEvent {
    /**
     * Training begins (or resumes) at the given position; {@code startSeconds} is the training
     * time of the run before this start (0 for a fresh run), from which event times count on.
     */
    record Start(int epochs, long maxSteps, int batchesPerEpoch, int trainSize, int startEpoch, long startStep, double startSeconds)
            implements TrainingEvent {
        /** A start with no training time before it (a fresh run). */
        public Start(int epochs, long maxSteps, int batchesPerEpoch, int trainSize, int startEpoch, long startStep) {
            this(epochs, maxSteps, batchesPerEpoch, trainSize, startEpoch, startStep, 0);
        }
    }

    record EpochStart(int epoch) implements TrainingEvent {}

    /**
     * One optimizer step was taken (or skipped, when {@code skipped}: its loss was not finite and
     * the guard is set to skip).
     *
     * @param step          optimizer steps completed so far (1 after the first)
     * @param epoch         current epoch (0-based)
     * @param batch         batch index within the epoch
     * @param loss          the batch's training loss
     * @param lr            learning rate used by this step
     * @param gradNorm      global L2 gradient norm before clipping (the clipping norm type when clipping is configured)
     * @param examples      examples in the batch
     * @param seconds       seconds of training so far (a resumed run's earlier part included)
     */
    record Step(long step, int epoch, int batch, double loss, double lr, double gradNorm, int examples, double seconds,
                boolean skipped) implements TrainingEvent {}

    /** Validation ran; metrics are named as logged, e.g. "val_loss", "val_accuracy". */
    record Evaluated(long step, int epoch, Map<String, Double> metrics) implements TrainingEvent {}

    /** An epoch ended; metrics include "loss" (mean training loss) and the latest validation metrics. */
    record EpochEnd(int epoch, long step, Map<String, Double> metrics, double seconds) implements TrainingEvent {}

    /** Training ended; {@code reason} says why ("completed", "stopped: ...", "failed: ..."). */
    record End(long step, int epochs, String reason) implements TrainingEvent {}
}
