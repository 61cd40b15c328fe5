package dev.descent.schedule;

/** {@code lr(t) = lr}. See {@link Schedules#constant(double)}. */
record Constant(double lr) implements Schedule {
    Constant {
        Checks.rate("constant", "lr", lr);
    }

    @Override
    public double lr(long step) {
        Checks.step("constant", step);
        return lr;
    }
}
