package dev.descent.schedule;

/**
 * Inverse square-root decay {@code lr(t) = lr / (1 + sqrt(t))}, the decay half of the Transformer
 * rule of Vaswani et al. 2017 ("Attention is all you need", rate proportional to
 * {@code step^-0.5}), shifted by one so that {@code lr(0) = lr}. This is the fixture's definition
 * (a PyTorch {@code LambdaLR} with factor {@code 1 / (1 + sqrt(t))}). For the Transformer's warmup,
 * put {@link Schedules#warmup(long, double, Schedule)} in front.
 * See {@link Schedules#inverseSqrt(double)}.
 */
record InverseSqrt(double lr) implements Schedule {
    InverseSqrt {
        Checks.rate("inverseSqrt", "lr", lr);
    }

    @Override
    public double lr(long step) {
        Checks.step("inverseSqrt", step);
        return lr / (1 + Math.sqrt(step));
    }
}
