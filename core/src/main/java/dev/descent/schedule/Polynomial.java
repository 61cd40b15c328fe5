package dev.descent.schedule;

/**
 * PyTorch {@code PolynomialLR}:
 * {@code lr(t) = lr * (1 - min(t, total_iters) / total_iters)^power}, so 0 from {@code total_iters}
 * on. See {@link Schedules#polynomial(double, long, double)}.
 */
record Polynomial(double lr, long totalIters, double power) implements Schedule {
    Polynomial {
        Checks.rate("polynomial", "lr", lr);
        Checks.positive("polynomial", "total_iters", totalIters);
        Checks.nonNegative("polynomial", "power", power);
    }

    @Override
    public double lr(long step) {
        Checks.step("polynomial", step);
        return lr * Math.pow(1.0 - (double) Math.min(totalIters, step) / totalIters, power);
    }
}
