package dev.descent.schedule;

/**
 * Warmup-stable-decay (WSD) of Hu et al. 2024 ("MiniCPM: Unveiling the Potential of Small
 * Language Models with Scalable Training Strategies"), with {@code W} warmup, {@code S} stable and
 * {@code D} decay steps:
 * <ul>
 *   <li>{@code t < W}: {@code lr * t / W} (the paper's linear warmup from 0);</li>
 *   <li>{@code W <= t < W + S}: {@code lr};</li>
 *   <li>{@code W + S <= t < W + S + D}: {@code decay.between(lr, min_lr, (t - W - S) / D)};</li>
 *   <li>afterwards: {@code min_lr}.</li>
 * </ul>
 * See {@link Schedules#warmupStableDecay(double, long, long, long, double, Anneal)}.
 */
record WarmupStableDecay(double lr, long warmupSteps, long stableSteps, long decaySteps, double minLr, Anneal decay)
        implements Schedule {
    WarmupStableDecay {
        Checks.rate("warmupStableDecay", "lr", lr);
        Checks.nonNegative("warmupStableDecay", "warmup_steps", warmupSteps);
        Checks.nonNegative("warmupStableDecay", "stable_steps", stableSteps);
        Checks.nonNegative("warmupStableDecay", "decay_steps", decaySteps);
        Checks.within("warmupStableDecay", "min_lr", minLr, 0, lr);
        Checks.notNull("warmupStableDecay", "decay", decay);
        if (warmupSteps > Long.MAX_VALUE - stableSteps - decaySteps) {
            throw Checks.fail("warmupStableDecay", "warmup_steps + stable_steps + decay_steps overflows a long");
        }
    }

    @Override
    public double lr(long step) {
        Checks.step("warmupStableDecay", step);
        if (step < warmupSteps) return lr * step / warmupSteps;
        long decayStart = warmupSteps + stableSteps;
        if (step < decayStart) return lr;
        if (step < decayStart + decaySteps) {
            return decay.between(lr, minLr, (double) (step - decayStart) / decaySteps);
        }
        return minLr;
    }
}
