package dev.descent.schedule;

import java.util.ArrayList;
import java.util.List;

/**
 * Reduce-on-plateau (PyTorch {@code ReduceLROnPlateau}) on top of any schedule:
 * {@code lr(t) = inner.lr(t) * scale}, where {@code scale} starts at 1 and is lowered when the
 * reported metric stops improving.
 *
 * <p>{@link #report(long, double)} applies PyTorch's rule to the rate in use at that step,
 * {@code current = inner.lr(step) * scale}: if the metric improves on the best by the threshold it
 * becomes the best and the count of bad reports resets, otherwise the count grows; during cooldown
 * the count stays 0; once the count exceeds {@code patience}, the new rate is
 * {@code max(current * factor, min_lr)}, taken only if {@code current - new > eps}, and the
 * cooldown starts. The new rate is kept as a scale ({@code scale * factor}, or
 * {@code min_lr / inner.lr(step)} where {@code min_lr} binds), so the inner schedule keeps shaping
 * the rate afterwards. With a constant inner schedule this is exactly PyTorch's rule; with a moving
 * one, {@code min_lr} bounds what the plateau's reductions produce at the step they happen, not
 * the inner schedule's own decay.
 *
 * <p>So {@code lr} is a pure function of the step and of the reported {@code (step, metric)}
 * history, which {@link #state()} summarizes exactly; {@link #restore(PlateauState)} continues from
 * it. Reports and reads may come from different threads: the state is one immutable record
 * swapped atomically.
 */
public final class PlateauSchedule implements Schedule {
    private final Schedule inner;
    private final PlateauOptions options;
    private volatile PlateauState state;

    PlateauSchedule(Schedule inner, PlateauOptions options) {
        this.inner = Checks.notNull("plateau", "inner schedule", inner);
        this.options = Checks.notNull("plateau", "options", options);
        this.state = PlateauState.initial(options);
    }

    @Override
    public double lr(long step) {
        Checks.step("plateau", step);
        return inner.lr(step) * state.scale();
    }

    /**
     * Reports the monitored metric measured after {@code step} optimizer steps and returns the
     * rate {@link #lr(long) lr(step)} for the next step, after any reduction. A NaN metric counts as
     * no improvement, as in PyTorch.
     */
    public synchronized double report(long step, double metric) {
        Checks.step("plateau", step);
        state = next(state, inner.lr(step), metric);
        return lr(step);
    }

    /** PyTorch's {@code ReduceLROnPlateau.step}, as a pure function of the state. */
    private PlateauState next(PlateauState s, double innerLr, double metric) {
        double best = s.best();
        int bad;
        if (options.isBetter(metric, best)) {
            best = metric;
            bad = 0;
        } else {
            bad = s.badReports() + 1;
        }
        int cooldownLeft = s.cooldownLeft();
        if (cooldownLeft > 0) {
            cooldownLeft--;
            bad = 0; // bad reports during cooldown are ignored
        }
        double scale = s.scale();
        if (bad > options.patience()) {
            double current = innerLr * scale;
            double reduced = Math.max(current * options.factor(), options.minLr());
            if (current - reduced > options.eps()) {
                // current > reduced >= 0 here, so innerLr > 0 and the division is safe.
                scale = reduced == current * options.factor() ? scale * options.factor() : reduced / innerLr;
            }
            // As in PyTorch, the cooldown starts even when eps or min_lr blocked the reduction.
            cooldownLeft = options.cooldown();
            bad = 0;
        }
        return new PlateauState(s.reports() + 1, best, bad, cooldownLeft, scale);
    }

    /** The inner schedule's rules see the metric first, then this rule reports it. */
    @Override
    public void observe(long step, double metric) {
        inner.observe(step, metric);
        report(step, metric);
    }

    /** The inner schedule's rules, then this one. */
    @Override
    public List<PlateauSchedule> plateaus() {
        List<PlateauSchedule> all = new ArrayList<>(inner.plateaus());
        all.add(this);
        return List.copyOf(all);
    }

    /** The current state, to save with a checkpoint. */
    public PlateauState state() {
        return state;
    }

    /**
     * Continues from a saved state, as if the reports that produced it had been made to this
     * schedule.
     *
     * @throws IllegalArgumentException if the state could not come from these options
     */
    public synchronized void restore(PlateauState saved) {
        check(saved);
        state = saved;
    }

    /**
     * Checks that a saved state could come from these options, without restoring it.
     *
     * @throws IllegalArgumentException if it could not
     */
    public void check(PlateauState saved) {
        Checks.notNull("plateau", "state", saved);
        if (saved.badReports() > options.patience()) {
            throw Checks.fail("plateau", "cannot restore a state with bad_reports " + saved.badReports()
                    + " under patience " + options.patience() + " (a reduction resets it first)");
        }
        if (saved.cooldownLeft() > options.cooldown()) {
            throw Checks.fail("plateau", "cannot restore a state with cooldown_left " + saved.cooldownLeft()
                    + " under cooldown " + options.cooldown());
        }
    }

    /** The schedule the plateau factor multiplies. */
    public Schedule inner() {
        return inner;
    }

    /** The options of the plateau rule. */
    public PlateauOptions options() {
        return options;
    }

    @Override
    public String toString() {
        return "PlateauSchedule[inner=" + inner + ", options=" + options + ", state=" + state + "]";
    }
}
