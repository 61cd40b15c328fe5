package dev.descent.schedule;

import java.util.List;

/**
 * A learning-rate schedule: the rate as a function of the optimizer step.
 *
 * <p>{@code step} is the number of optimizer steps already taken, so {@code lr(0)} is the rate used
 * by the first optimizer step and {@code lr(t)} the rate used by step {@code t}. This is exactly the
 * rate a PyTorch optimizer sees when its {@code torch.optim.lr_scheduler} scheduler is stepped once
 * after each optimizer step.
 *
 * <p>A schedule is a pure function of the step: calling {@code lr} in any order, any number of
 * times, gives the same values. That is what makes resume exact (a checkpoint only needs the step)
 * and composition plain function composition. The one exception is by design:
 * {@link PlateauSchedule} also depends on the metrics reported to it, and exposes that dependency as
 * an explicit, restorable {@link PlateauState}. A metric reaches every such rule through one path,
 * {@link #observe}, which a composite schedule passes on to the part in use at that step (in that
 * part's own step count), so a plateau rule works behind a warmup, in a sequence or as a parameter
 * group's schedule; {@link #plateaus()} lists the rules whose state a checkpoint must carry.
 *
 * <p>Implementations should reject a negative step with an {@link IllegalArgumentException}; the
 * built-in ones in {@link Schedules} do.
 */
@FunctionalInterface
public interface Schedule {

    /**
     * The learning rate used by optimizer step {@code step} (0 for the first step).
     *
     * @throws IllegalArgumentException if {@code step} is negative
     */
    double lr(long step);

    /**
     * Feeds a monitored metric, measured after {@code step} optimizer steps, to the metric-driven
     * rules of this schedule. A pure function of the step ignores it (the default); a composite
     * passes it on to the schedule in use at {@code step}, in that schedule's own step count.
     */
    default void observe(long step, double metric) {}

    /**
     * The metric-driven rules inside this schedule (itself included), in a fixed order: the state a
     * checkpoint saves with the optimizer. Empty for a pure function of the step (the default).
     */
    default List<PlateauSchedule> plateaus() {
        return List.of();
    }

    /**
     * This schedule behind a linear warmup of {@code warmupSteps} steps starting at
     * {@code startFactor * lr(0)}; see {@link Schedules#warmup(long, double, Schedule)}.
     */
    default Schedule withWarmup(long warmupSteps, double startFactor) {
        return Schedules.warmup(warmupSteps, startFactor, this);
    }

    /**
     * This schedule until step {@code milestone}, then {@code next} counted from its own step 0;
     * see {@link Schedules#sequential(List, List)}.
     */
    default Schedule then(long milestone, Schedule next) {
        return Schedules.sequential(List.of(this, next), List.of(milestone));
    }

    /**
     * This schedule multiplied by a reduce-on-plateau factor; see
     * {@link Schedules#plateau(Schedule, PlateauOptions)}.
     */
    default PlateauSchedule withPlateau(PlateauOptions options) {
        return Schedules.plateau(this, options);
    }
}
