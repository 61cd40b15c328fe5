package dev.descent.train;

/**
 * Observes the training loop and may steer it through {@link TrainingControl} (stop early,
 * restore weights, write checkpoints). Open for users' own callbacks; the built-in ones are in
 * {@link Callbacks}.
 *
 * <p>A callback that remembers something across steps (a best value, a patience count, best
 * weights) exposes it as a value: {@link #state()} goes into every {@link Checkpoint} under
 * {@link #stateKey()}, and a run resumed from that checkpoint hands it back through
 * {@link #restore} before its first event, so the resumed run decides exactly as the
 * uninterrupted one. A callback that remembers nothing keeps the defaults.
 */
@FunctionalInterface
public interface Callback {
    void onEvent(TrainingEvent event, TrainingControl control);

    /** What this callback remembers now; {@link CallbackState#EMPTY} (the default) when nothing. */
    default CallbackState state() {
        return CallbackState.EMPTY;
    }

    /**
     * Continues from a state {@link #state()} returned (in another process, perhaps). Called
     * before the first event of a resumed run, only for a callback whose state is not empty.
     *
     * @throws IllegalArgumentException if the state could not come from this callback
     */
    default void restore(CallbackState saved) {}

    /**
     * The name of this callback's state in a checkpoint, unique among a run's stateful callbacks
     * (no '/' or '.'); the class's simple name by default.
     */
    default String stateKey() {
        return getClass().getSimpleName();
    }
}
