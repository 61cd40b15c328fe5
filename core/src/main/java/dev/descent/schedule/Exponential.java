package dev.descent.schedule;

/**
 * PyTorch {@code ExponentialLR}: {@code lr(t) = lr * gamma^t}.
 * See {@link Schedules#exponential(double, double)}.
 */
record Exponential(double lr, double gamma) implements Schedule {
    Exponential {
        Checks.rate("exponential", "lr", lr);
        Checks.positive("exponential", "gamma", gamma);
    }

    @Override
    public double lr(long step) {
        Checks.step("exponential", step);
        return lr * Math.pow(gamma, step);
    }
}
