/**
 * Learning-rate schedules: the rate of each optimizer step as a pure function of the step.
 *
 * <p>{@link dev.descent.schedule.Schedule#lr(long) lr(t)} is the rate used by optimizer step
 * {@code t} (0 for the first), the value a PyTorch scheduler holds after {@code t} calls of
 * {@code scheduler.step()}. Because the rate depends on nothing else, resuming needs only the step,
 * and composing is function composition: {@link dev.descent.schedule.Schedules#warmup warmup} in
 * front of any schedule, {@link dev.descent.schedule.Schedules#sequential sequential} for
 * hand-overs, and {@link dev.descent.schedule.Schedules#plateau plateau} as a factor on top. The
 * reduce-on-plateau rule is the one schedule that also depends on data (the monitored metric); it
 * keeps that dependency in an explicit record, {@link dev.descent.schedule.PlateauState}, that a
 * checkpoint saves and restores.
 *
 * <p>The factories in {@link dev.descent.schedule.Schedules} follow PyTorch's
 * {@code torch.optim.lr_scheduler} formulas and option names, and the tests replay PyTorch's
 * values for each. Mapping config names ({@code "cosine"}, {@code "one_cycle"}) to factories is
 * the CLI's job, not this package's.
 *
 * <p>This is a leaf package: it depends on {@code java.base} only, so optimizers, the trainer and
 * the CLI can all use it without cycles.
 */
package dev.descent.schedule;
