package dev.descent.schedule;

/**
 * PyTorch {@code StepLR}: {@code lr(t) = lr * gamma^floor(t / step_size)}.
 * See {@link Schedules#step(double, long, double)}.
 */
record StepDecay(double lr, long stepSize, double gamma) implements Schedule {
    StepDecay {
        Checks.rate("step", "lr", lr);
        Checks.positive("step", "step_size", stepSize);
        Checks.positive("step", "gamma", gamma);
    }

    @Override
    public double lr(long step) {
        Checks.step("step", step);
        return lr * Math.pow(gamma, step / stepSize);
    }
}
