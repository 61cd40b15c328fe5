package dev.descent.schedule;

/**
 * PyTorch {@code ConstantLR}: {@code lr(t) = lr * factor} for {@code t < total_iters}, then
 * {@code lr}. See {@link Schedules#constantFactor(double, double, long)}.
 */
record ConstantFactor(double lr, double factor, long totalIters) implements Schedule {
    ConstantFactor {
        Checks.rate("constantFactor", "lr", lr);
        Checks.within("constantFactor", "factor", factor, 0, 1);
        Checks.positive("constantFactor", "total_iters", totalIters);
    }

    @Override
    public double lr(long step) {
        Checks.step("constantFactor", step);
        return step < totalIters ? lr * factor : lr;
    }
}
