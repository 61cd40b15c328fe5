package dev.descent.schedule;

import java.util.List;

/**
 * PyTorch {@code MultiStepLR}: {@code lr(t) = lr * gamma^(number of milestones <= t)}.
 * See {@link Schedules#multiStep(double, List, double)}.
 */
record MultiStepDecay(double lr, List<Long> milestones, double gamma) implements Schedule {
    MultiStepDecay {
        Checks.rate("multiStep", "lr", lr);
        Checks.notNull("multiStep", "milestones", milestones);
        milestones = List.copyOf(milestones); // also rejects null elements
        Checks.positive("multiStep", "gamma", gamma);
        long previous = -1;
        for (int i = 0; i < milestones.size(); i++) {
            long m = milestones.get(i);
            // PyTorch sorts and counts repeats; a repeat or a reversed list is almost always a typo,
            // so it is an error here rather than a silent extra decay.
            if (m <= previous) {
                throw Checks.fail("multiStep", "milestones must be strictly increasing and >= 0, got "
                        + milestones);
            }
            previous = m;
        }
    }

    @Override
    public double lr(long step) {
        Checks.step("multiStep", step);
        int passed = 0;
        while (passed < milestones.size() && milestones.get(passed) <= step) passed++;
        return lr * Math.pow(gamma, passed);
    }
}
