package dev.descent.schedule;

import java.util.ArrayList;
import java.util.List;

/**
 * PyTorch {@code SequentialLR}: schedule {@code i} runs from milestone {@code i - 1} (0 for the
 * first) until milestone {@code i}, and counts its steps from its own 0 at its milestone, so
 * {@code lr(t) = schedules[i].lr(t - milestones[i - 1])}.
 * See {@link Schedules#sequential(List, List)}.
 */
record Sequential(List<Schedule> schedules, List<Long> milestones) implements Schedule {
    Sequential {
        Checks.notNull("sequential", "schedules", schedules);
        Checks.notNull("sequential", "milestones", milestones);
        schedules = List.copyOf(schedules); // also rejects null elements
        milestones = List.copyOf(milestones);
        if (schedules.isEmpty()) throw Checks.fail("sequential", "schedules must not be empty");
        if (milestones.size() != schedules.size() - 1) {
            throw Checks.fail("sequential", "needs one milestone fewer than schedules, got "
                    + schedules.size() + " schedules and " + milestones.size() + " milestones " + milestones);
        }
        long previous = 0;
        for (long m : milestones) {
            // A milestone at 0, or one not after the previous, would give a schedule no steps.
            if (m <= previous) {
                throw Checks.fail("sequential", "milestones must be positive and strictly increasing, got "
                        + milestones);
            }
            previous = m;
        }
    }

    @Override
    public double lr(long step) {
        Checks.step("sequential", step);
        int i = active(step);
        return schedules.get(i).lr(step - start(i));
    }

    /** Only the schedule in use at {@code step} sees the metric, counted from its own step 0. */
    @Override
    public void observe(long step, double metric) {
        Checks.step("sequential", step);
        int i = active(step);
        schedules.get(i).observe(step - start(i), metric);
    }

    @Override
    public List<PlateauSchedule> plateaus() {
        List<PlateauSchedule> all = new ArrayList<>();
        for (Schedule s : schedules) all.addAll(s.plateaus());
        return List.copyOf(all);
    }

    private int active(long step) {
        int i = 0;
        while (i < milestones.size() && milestones.get(i) <= step) i++;
        return i;
    }

    private long start(int i) {
        return i == 0 ? 0 : milestones.get(i - 1);
    }
}
