package dev.descent.schedule;

/**
 * PyTorch {@code CosineAnnealingLR} in closed form (Loshchilov &amp; Hutter 2017, SGDR, without
 * restarts): {@code lr(t) = eta_min + (lr - eta_min) * (1 + cos(pi * t / T_max)) / 2}.
 *
 * <p>The formula is applied for every {@code t}, also past {@code T_max}, where it climbs back
 * towards {@code lr} with period {@code 2 * T_max}. That is what both PyTorch's closed form and its
 * recursive form (the one {@code scheduler.step()} uses) produce, so stepping a PyTorch scheduler
 * past {@code T_max} gives the same rates. See {@link Schedules#cosine(double, long, double)}.
 */
record CosineAnnealing(double lr, long tMax, double etaMin) implements Schedule {
    CosineAnnealing {
        Checks.rate("cosine", "lr", lr);
        Checks.positive("cosine", "T_max", tMax);
        Checks.rate("cosine", "eta_min", etaMin);
    }

    @Override
    public double lr(long step) {
        Checks.step("cosine", step);
        // Same operation order as PyTorch's _get_closed_form_lr, so rounding agrees too.
        return etaMin + (lr - etaMin) * (1 + Math.cos(Math.PI * step / tMax)) / 2;
    }
}
