package dev.descent.schedule;

/**
 * The amplitude policy of {@link Schedules#cyclic} (Smith 2017, "Cyclical Learning Rates for
 * Training Neural Networks"), named as PyTorch's {@code CyclicLR} {@code mode}.
 */
public enum CyclicMode {
    /** Constant amplitude: scale 1 in every cycle ({@code 'triangular'}). */
    TRIANGULAR,
    /** Amplitude halved each cycle: scale {@code 1 / 2^(cycle - 1)}, cycle counted from 1 ({@code 'triangular2'}). */
    TRIANGULAR2,
    /** Amplitude decays per step: scale {@code gamma^t}, t the step ({@code 'exp_range'}). */
    EXP_RANGE
}
