package dev.descent.search;

import java.util.SplittableRandom;

/** Independent draws from each kind of dimension; shared by the random sampler and TPE's startup phase. */
final class RandomDraws {
    private RandomDraws() {}

    static Object draw(Dimension d, SplittableRandom rng) {
        return switch (d) {
            case Dimension.Uniform u -> u.low() + rng.nextDouble() * (u.high() - u.low());
            // Uniform in ln x; clamp because exp(ln high) may round to just above high.
            case Dimension.LogUniform l -> Math.min(Math.exp(Math.log(l.low()) + rng.nextDouble() * (Math.log(l.high()) - Math.log(l.low()))), Math.nextDown(l.high()));
            case Dimension.IntRange r when r.log() -> {
                // Log-uniform over [low - 1/2, high + 1/2], rounded: each integer gets the log-width of its rounding cell.
                double lo = Math.log(r.low() - 0.5), hi = Math.log(r.high() + 0.5);
                long v = Math.round(Math.exp(lo + rng.nextDouble() * (hi - lo)));
                yield (int) Math.max(r.low(), Math.min(r.high(), v));
            }
            case Dimension.IntRange r -> r.low() + rng.nextInt(r.count()) * r.step();
            case Dimension.Categorical c -> c.choices().get(rng.nextInt(c.choices().size()));
        };
    }
}
