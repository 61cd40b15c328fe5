package dev.descent.schedule;

/**
 * How a rate moves from a start value to an end value as progress {@code p} goes from 0 to 1.
 * Used by {@link Schedules#oneCycle} (PyTorch's {@code anneal_strategy}: {@code 'cos'} is
 * {@link #COSINE}, {@code 'linear'} is {@link #LINEAR}) and as the decay shape of
 * {@link Schedules#warmupStableDecay}.
 */
public enum Anneal {
    /** {@code end + (start - end) / 2 * (1 + cos(pi * p))}: PyTorch's {@code _annealing_cos}. */
    COSINE {
        @Override
        public double between(double start, double end, double p) {
            double cosOut = Math.cos(Math.PI * p) + 1;
            return end + (start - end) / 2.0 * cosOut;
        }
    },
    /** {@code start + (end - start) * p}: PyTorch's {@code _annealing_linear}. */
    LINEAR {
        @Override
        public double between(double start, double end, double p) {
            return (end - start) * p + start;
        }
    },
    /**
     * {@code end + (start - end) * (1 - sqrt(p))}: the "1-sqrt" cooldown that Hägele et al. 2024
     * ("Scaling Laws and Compute-Optimal Training Beyond Fixed Training Durations") found best for
     * the decay phase of warmup-stable-decay.
     */
    ONE_MINUS_SQRT {
        @Override
        public double between(double start, double end, double p) {
            return end + (start - end) * (1 - Math.sqrt(p));
        }
    };

    /** The value at progress {@code p}: {@code start} at 0, {@code end} at 1. */
    public abstract double between(double start, double end, double p);
}
