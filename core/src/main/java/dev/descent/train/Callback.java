package dev.descent.train;

/**
 * Observes the training loop and may steer it through {@link TrainingControl} (stop early,
 * restore weights, write checkpoints). Open for users' own callbacks; the built-in ones are in
 * {@link Callbacks}.
 */
@FunctionalInterface
public interface Callback {
    void onEvent(TrainingEvent event, TrainingControl control);
}
