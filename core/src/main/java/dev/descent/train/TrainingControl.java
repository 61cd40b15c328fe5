package dev.descent.train;

import dev.descent.nn.Module;
import dev.descent.optim.Optimizer;

/** What a {@link Callback} may see and do while training runs. */
public interface TrainingControl {
    Module model();

    Optimizer optimizer();

    /** Asks the loop to stop after the current step; the reason ends up in the result. */
    void requestStop(String reason);

    /** A checkpoint of the run as it is now (between steps), for saving. */
    Checkpoint checkpoint();

    /** Epochs fully completed so far. */
    int completedEpochs();
}
