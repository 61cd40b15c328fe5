package dev.descent.schedule;

/**
 * PyTorch {@code LinearLR} in closed form:
 * {@code lr(t) = lr * (start_factor + (end_factor - start_factor) * min(t, total_iters) / total_iters)}.
 * See {@link Schedules#linear(double, double, double, long)}.
 */
record LinearRamp(double lr, double startFactor, double endFactor, long totalIters) implements Schedule {
    LinearRamp {
        Checks.rate("linear", "lr", lr);
        // PyTorch's ranges: a start factor of 0 would make the first step a no-op.
        if (!(startFactor > 0 && startFactor <= 1)) {
            throw Checks.fail("linear", "start_factor must be in (0, 1], got " + startFactor);
        }
        Checks.within("linear", "end_factor", endFactor, 0, 1);
        Checks.positive("linear", "total_iters", totalIters);
    }

    @Override
    public double lr(long step) {
        Checks.step("linear", step);
        return lr * (startFactor + (endFactor - startFactor) * Math.min(totalIters, step) / totalIters);
    }
}
