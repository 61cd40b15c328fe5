package dev.descent.schedule;

/**
 * PyTorch {@code OneCycleLR} (Smith &amp; Topin 2018, "Super-Convergence"), learning rate only.
 *
 * <p>With {@code initial = max_lr / div_factor} and {@code min = initial / final_div_factor}, the
 * rate is annealed piecewise between phase ends, exactly as PyTorch places them:
 * <ul>
 *   <li>two phases: {@code initial -> max_lr} up to step {@code pct_start * total_steps - 1}, then
 *       {@code max_lr -> min} up to step {@code total_steps - 1};</li>
 *   <li>three phases: {@code initial -> max_lr} up to {@code pct_start * total_steps - 1},
 *       {@code max_lr -> initial} up to {@code 2 * pct_start * total_steps - 2}, then
 *       {@code initial -> min} up to {@code total_steps - 1}.</li>
 * </ul>
 * Within a phase from step {@code s0} to {@code s1}, progress is {@code (t - s0) / (s1 - s0)}.
 *
 * <p>Like PyTorch, the rate is defined up to {@code t = total_steps} (the value a scheduler holds
 * after the last optimizer step) and a later step is an error. Unlike PyTorch, a phase of zero or
 * negative length is rejected up front: PyTorch divides by zero (or anneals backwards) there.
 * See {@link Schedules#oneCycle(double, long, double, Anneal, double, double, boolean)}.
 */
record OneCycle(double maxLr, long totalSteps, double pctStart, Anneal anneal, double divFactor,
                double finalDivFactor, boolean threePhase) implements Schedule {
    OneCycle {
        Checks.rate("oneCycle", "max_lr", maxLr);
        Checks.positive("oneCycle", "total_steps", totalSteps);
        Checks.within("oneCycle", "pct_start", pctStart, 0, 1);
        Checks.notNull("oneCycle", "anneal_strategy", anneal);
        Checks.positive("oneCycle", "div_factor", divFactor);
        Checks.positive("oneCycle", "final_div_factor", finalDivFactor);
        double[] ends = phaseEnds(totalSteps, pctStart, threePhase);
        double start = 0;
        for (double end : ends) {
            if (!(end > start)) {
                throw Checks.fail("oneCycle", "pct_start " + pctStart + " with total_steps " + totalSteps
                        + (threePhase ? " (three_phase)" : "") + " gives a phase from step " + start
                        + " to step " + end + "; every phase needs positive length");
            }
            start = end;
        }
    }

    /** PyTorch's phase end steps, computed with the same float operations. */
    private static double[] phaseEnds(long totalSteps, double pctStart, boolean threePhase) {
        double up = pctStart * totalSteps - 1;
        return threePhase
                ? new double[] {up, 2 * pctStart * totalSteps - 2, totalSteps - 1}
                : new double[] {up, totalSteps - 1};
    }

    @Override
    public double lr(long step) {
        Checks.step("oneCycle", step);
        if (step > totalSteps) {
            throw Checks.fail("oneCycle", "step " + step + " is past total_steps " + totalSteps
                    + " (PyTorch raises here too); make total_steps cover the whole run");
        }
        double initial = maxLr / divFactor;
        double min = initial / finalDivFactor;
        double[] ends = phaseEnds(totalSteps, pctStart, threePhase);
        double[] from = threePhase ? new double[] {initial, maxLr, initial} : new double[] {initial, maxLr};
        double[] to = threePhase ? new double[] {maxLr, initial, min} : new double[] {maxLr, min};
        double start = 0;
        for (int i = 0; i < ends.length; i++) {
            // The last phase also takes step total_steps, as in PyTorch.
            if (step <= ends[i] || i == ends.length - 1) {
                double pct = (step - start) / (ends[i] - start);
                return anneal.between(from[i], to[i], pct);
            }
            start = ends[i];
        }
        throw new AssertionError("unreachable: the last phase takes every remaining step");
    }
}
