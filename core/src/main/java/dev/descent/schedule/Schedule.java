package dev.descent.schedule;

/**
 * A learning rate as a pure function of the optimizer step, so that resuming at step {@code t}
 * gives exactly the learning rate an uninterrupted run would have used.
 */
@FunctionalInterface
public interface Schedule {
    /** The learning rate for optimizer step {@code step} (0 for the first update). */
    double lr(long step);
}
