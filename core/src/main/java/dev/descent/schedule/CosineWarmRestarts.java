package dev.descent.schedule;

/**
 * PyTorch {@code CosineAnnealingWarmRestarts} (Loshchilov &amp; Hutter 2017, SGDR):
 * {@code lr(t) = eta_min + (lr - eta_min) * (1 + cos(pi * T_cur / T_i)) / 2}, where the i-th cycle
 * lasts {@code T_i = T_0 * T_mult^i} steps and {@code T_cur} counts steps since the last restart.
 * See {@link Schedules#cosineWarmRestarts(double, long, long, double)}.
 */
record CosineWarmRestarts(double lr, long t0, long tMult, double etaMin) implements Schedule {
    CosineWarmRestarts {
        Checks.rate("cosineWarmRestarts", "lr", lr);
        Checks.positive("cosineWarmRestarts", "T_0", t0);
        if (tMult < 1) throw Checks.fail("cosineWarmRestarts", "T_mult must be >= 1, got " + tMult);
        Checks.rate("cosineWarmRestarts", "eta_min", etaMin);
    }

    @Override
    public double lr(long step) {
        Checks.step("cosineWarmRestarts", step);
        if (tMult == 1) return at(step % t0, t0);
        // Walk whole cycles in integers, as PyTorch's step() does one step at a time; the
        // logarithm in PyTorch's step(epoch) form can put a step in the wrong cycle by rounding.
        // At most ~63 iterations, since cycle lengths at least double.
        long tCur = step;
        long tI = t0;
        while (tCur >= tI) {
            tCur -= tI;
            // The next cycle is longer than any long step: tCur lies inside it for sure.
            if (tI > Long.MAX_VALUE / tMult) return at(tCur, (double) tI * tMult);
            tI *= tMult;
        }
        return at(tCur, tI);
    }

    private double at(long tCur, double tI) {
        // Same operation order as PyTorch's get_lr, so rounding agrees too.
        return etaMin + (lr - etaMin) * (1 + Math.cos(Math.PI * tCur / tI)) / 2;
    }
}
