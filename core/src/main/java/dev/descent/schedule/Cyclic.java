package dev.descent.schedule;

/**
 * PyTorch {@code CyclicLR} (Smith 2017, "Cyclical Learning Rates for Training Neural Networks"),
 * learning rate only (momentum cycling belongs to the optimizer).
 *
 * <p>With {@code size = step_size_up + step_size_down}, {@code cycle = floor(1 + t / size)} and
 * {@code x = 1 + t / size - cycle} (position within the cycle in [0, 1)):
 * {@code height = x <= r ? x / r : (x - 1) / (r - 1)} with {@code r = step_size_up / size}, and
 * {@code lr(t) = base_lr + (max_lr - base_lr) * height * scale}, where {@code scale} is 1
 * (triangular), {@code 1 / 2^(cycle - 1)} (triangular2) or {@code gamma^t} (exp_range).
 * See {@link Schedules#cyclic(double, double, long, long, CyclicMode, double)}.
 */
record Cyclic(double baseLr, double maxLr, long stepSizeUp, long stepSizeDown, CyclicMode mode, double gamma)
        implements Schedule {
    Cyclic {
        Checks.rate("cyclic", "base_lr", baseLr);
        Checks.rate("cyclic", "max_lr", maxLr);
        Checks.positive("cyclic", "step_size_up", stepSizeUp);
        Checks.positive("cyclic", "step_size_down", stepSizeDown);
        Checks.notNull("cyclic", "mode", mode);
        Checks.positive("cyclic", "gamma", gamma);
    }

    @Override
    public double lr(long step) {
        Checks.step("cyclic", step);
        // Same float operations as PyTorch's get_lr, so rounding agrees too.
        double totalSize = (double) stepSizeUp + stepSizeDown;
        double stepRatio = stepSizeUp / totalSize;
        double cycle = Math.floor(1 + step / totalSize);
        double x = 1. + step / totalSize - cycle;
        double scaleFactor = x <= stepRatio ? x / stepRatio : (x - 1) / (stepRatio - 1);
        double baseHeight = (maxLr - baseLr) * scaleFactor;
        double scale = switch (mode) {
            case TRIANGULAR -> 1.0;
            case TRIANGULAR2 -> 1 / Math.pow(2.0, cycle - 1);
            case EXP_RANGE -> Math.pow(gamma, step);
        };
        return baseLr + baseHeight * scale;
    }
}
