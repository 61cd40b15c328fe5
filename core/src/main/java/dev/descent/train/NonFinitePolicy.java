package dev.descent.train;

/**
 * What the loop does when a batch's loss is NaN or infinite: {@link #STOP} ends training with a
 * report naming the step (the parameters stay as they were before that step), {@link #SKIP}
 * drops the batch without updating and goes on.
 */
public enum NonFinitePolicy {
    STOP, SKIP
}
