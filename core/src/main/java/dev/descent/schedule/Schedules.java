package dev.descent.schedule;

import java.util.List;

/**
 * The built-in learning-rate schedules. Each factory validates its options and names the bad one
 * (by its PyTorch name where PyTorch has it) in the message, e.g.
 * {@code "cosine: T_max must be positive, got 0"}. Every schedule returned is immutable and a pure
 * function of the step, except {@link PlateauSchedule}, which also depends on reported metrics.
 *
 * <p>Unless stated otherwise the formulas and option names are those of PyTorch's
 * {@code torch.optim.lr_scheduler} (checked against PyTorch 1.13 reference values), and
 * {@code lr(t)} is the rate of optimizer step {@code t}, the value PyTorch's scheduler holds after
 * {@code t} calls of {@code scheduler.step()}.
 */
public final class Schedules {
    private Schedules() {}

    /** {@code lr(t) = lr}. */
    public static Schedule constant(double lr) {
        return new Constant(lr);
    }

    /** PyTorch {@code StepLR}: {@code lr(t) = lr * gamma^floor(t / stepSize)}. */
    public static Schedule step(double lr, long stepSize, double gamma) {
        return new StepDecay(lr, stepSize, gamma);
    }

    /**
     * PyTorch {@code MultiStepLR}: {@code lr(t) = lr * gamma^k}, {@code k} the number of milestones
     * {@code <= t}. Milestones must be strictly increasing (PyTorch would count a repeat twice).
     */
    public static Schedule multiStep(double lr, List<Long> milestones, double gamma) {
        return new MultiStepDecay(lr, milestones, gamma);
    }

    /** PyTorch {@code ExponentialLR}: {@code lr(t) = lr * gamma^t}. */
    public static Schedule exponential(double lr, double gamma) {
        return new Exponential(lr, gamma);
    }

    /**
     * PyTorch {@code CosineAnnealingLR} (Loshchilov &amp; Hutter 2017, SGDR):
     * {@code lr(t) = etaMin + (lr - etaMin) * (1 + cos(pi * t / tMax)) / 2}. Past {@code tMax} the
     * same formula continues (the rate climbs back, period {@code 2 * tMax}), which is what PyTorch's
     * closed and recursive forms both do; to hold {@code etaMin} instead, follow it with
     * {@link Schedule#then(long, Schedule) then(tMax, constant(etaMin))}.
     */
    public static Schedule cosine(double lr, long tMax, double etaMin) {
        return new CosineAnnealing(lr, tMax, etaMin);
    }

    /**
     * PyTorch {@code CosineAnnealingWarmRestarts} (Loshchilov &amp; Hutter 2017, SGDR): cosine
     * annealing from {@code lr} to {@code etaMin} over cycles of {@code t0}, {@code t0 * tMult},
     * {@code t0 * tMult^2}, ... steps, restarting at {@code lr} at the start of each cycle.
     */
    public static Schedule cosineWarmRestarts(double lr, long t0, long tMult, double etaMin) {
        return new CosineWarmRestarts(lr, t0, tMult, etaMin);
    }

    /**
     * PyTorch {@code LinearLR}:
     * {@code lr(t) = lr * (startFactor + (endFactor - startFactor) * min(t, totalIters) / totalIters)},
     * with {@code startFactor} in (0, 1] and {@code endFactor} in [0, 1].
     */
    public static Schedule linear(double lr, double startFactor, double endFactor, long totalIters) {
        return new LinearRamp(lr, startFactor, endFactor, totalIters);
    }

    /** PyTorch {@code ConstantLR}: {@code lr * factor} for {@code t < totalIters}, then {@code lr}. */
    public static Schedule constantFactor(double lr, double factor, long totalIters) {
        return new ConstantFactor(lr, factor, totalIters);
    }

    /** PyTorch {@code PolynomialLR}: {@code lr(t) = lr * (1 - min(t, totalIters) / totalIters)^power}. */
    public static Schedule polynomial(double lr, long totalIters, double power) {
        return new Polynomial(lr, totalIters, power);
    }

    /**
     * PyTorch {@code OneCycleLR} (Smith &amp; Topin 2018, "Super-Convergence"): from
     * {@code maxLr / divFactor} up to {@code maxLr} over the first {@code pctStart} of the run, then
     * down to {@code maxLr / divFactor / finalDivFactor} (three phases: back down to the start
     * first, then on to the minimum). Phase ends as in PyTorch: {@code pctStart * totalSteps - 1},
     * ({@code 2 * pctStart * totalSteps - 2}), {@code totalSteps - 1}. Defined for
     * {@code t <= totalSteps}; a later step is an error, as in PyTorch.
     */
    public static Schedule oneCycle(double maxLr, long totalSteps, double pctStart, Anneal anneal,
                                    double divFactor, double finalDivFactor, boolean threePhase) {
        return new OneCycle(maxLr, totalSteps, pctStart, anneal, divFactor, finalDivFactor, threePhase);
    }

    /**
     * {@link #oneCycle(double, long, double, Anneal, double, double, boolean)} with PyTorch's
     * defaults: {@code pct_start} 0.3, cosine annealing, {@code div_factor} 25,
     * {@code final_div_factor} 1e4, two phases.
     */
    public static Schedule oneCycle(double maxLr, long totalSteps) {
        return ScheduleRegistry.REGISTRY.make("onecycle", new ScheduleRegistry.Base(maxLr, totalSteps));
    }

    /**
     * PyTorch {@code CyclicLR} (Smith 2017, "Cyclical Learning Rates for Training Neural
     * Networks"): triangles between {@code baseLr} and {@code maxLr}, rising over
     * {@code stepSizeUp} steps and falling over {@code stepSizeDown}, with the amplitude scaled
     * per {@code mode}; {@code gamma} is used by {@link CyclicMode#EXP_RANGE} only.
     */
    public static Schedule cyclic(double baseLr, double maxLr, long stepSizeUp, long stepSizeDown,
                                  CyclicMode mode, double gamma) {
        return new Cyclic(baseLr, maxLr, stepSizeUp, stepSizeDown, mode, gamma);
    }

    /**
     * {@link #cyclic(double, double, long, long, CyclicMode, double)} with symmetric triangles
     * ({@code step_size_down = step_size_up}) and PyTorch's default {@code gamma} 1.
     */
    public static Schedule cyclic(double baseLr, double maxLr, long stepSizeUp, CyclicMode mode) {
        double gamma = (Double) ScheduleRegistry.REGISTRY.require("cyclic").option("gamma").fallback();
        return cyclic(baseLr, maxLr, stepSizeUp, stepSizeUp, mode, gamma);
    }

    /**
     * Inverse square-root decay {@code lr(t) = lr / (1 + sqrt(t))}, the decay of Vaswani et al.
     * 2017 shifted by one step so that {@code lr(0) = lr}.
     */
    public static Schedule inverseSqrt(double lr) {
        return new InverseSqrt(lr);
    }

    /**
     * A linear warmup in front of any schedule: for {@code t < warmupSteps},
     * {@code lr(t) = then.lr(0) * (startFactor + (1 - startFactor) * t / warmupSteps)}; from then on
     * {@code lr(t) = then.lr(t - warmupSteps)}, so {@code then} starts from its own step 0.
     *
     * <p>This is PyTorch's {@code SequentialLR([LinearLR(start_factor, total_iters=warmupSteps),
     * then], milestones=[warmupSteps])}, the warmup ramping towards {@code then}'s first rate.
     * {@code warmupSteps} 0 returns {@code then} itself. {@code then.lr(0)} is read once, here. A plateau rule
     * as {@code then} sees the metrics reported after the warmup (see {@link Schedule#observe});
     * put it outside ({@code warmup(...).withPlateau(...)}) for its factor to apply to the warmup too.
     */
    public static Schedule warmup(long warmupSteps, double startFactor, Schedule then) {
        Checks.nonNegative("warmup", "warmup_steps", warmupSteps);
        if (!(startFactor > 0 && startFactor <= 1)) {
            throw Checks.fail("warmup", "start_factor must be in (0, 1], got " + startFactor);
        }
        Checks.notNull("warmup", "then", then);
        if (warmupSteps == 0) return then;
        return sequential(List.of(new LinearRamp(then.lr(0), startFactor, 1.0, warmupSteps), then),
                List.of(warmupSteps));
    }

    /**
     * PyTorch {@code SequentialLR}: {@code schedules[0]} until {@code milestones[0]}, then
     * {@code schedules[1]} counted from its own step 0, and so on. Needs one milestone fewer than
     * schedules, positive and strictly increasing.
     */
    public static Schedule sequential(List<Schedule> schedules, List<Long> milestones) {
        return new Sequential(schedules, milestones);
    }

    /**
     * Warmup-stable-decay (Hu et al. 2024, MiniCPM): linear from 0 to {@code lr} over
     * {@code warmupSteps} ({@code lr * t / warmupSteps}), {@code lr} for {@code stableSteps}, then
     * from {@code lr} to {@code minLr} over {@code decaySteps} with the given shape, then
     * {@code minLr}.
     */
    public static Schedule warmupStableDecay(double lr, long warmupSteps, long stableSteps, long decaySteps,
                                             double minLr, Anneal decay) {
        return new WarmupStableDecay(lr, warmupSteps, stableSteps, decaySteps, minLr, decay);
    }

    /**
     * Reduce-on-plateau on top of any schedule: {@code lr(t) = inner.lr(t) * scale}, the scale
     * lowered by PyTorch's {@code ReduceLROnPlateau} rule as metrics are reported; see
     * {@link PlateauSchedule}.
     */
    public static PlateauSchedule plateau(Schedule inner, PlateauOptions options) {
        return new PlateauSchedule(inner, options);
    }

    /** PyTorch {@code ReduceLROnPlateau} on its own: {@link #plateau} over {@link #constant(double)}. */
    public static PlateauSchedule reduceOnPlateau(double lr, PlateauOptions options) {
        return plateau(constant(lr), options);
    }
}
