package dev.descent.schedule;

/**
 * The options of a reduce-on-plateau rule, PyTorch's {@code ReduceLROnPlateau} options with the
 * same meaning and defaults ({@link #defaults()}).
 *
 * <p>A reported metric is an improvement over the best so far when it beats it by the threshold:
 * <ul>
 *   <li>{@code MIN, REL}: {@code metric < best * (1 - threshold)};</li>
 *   <li>{@code MIN, ABS}: {@code metric < best - threshold};</li>
 *   <li>{@code MAX, REL}: {@code metric > best * (1 + threshold)};</li>
 *   <li>{@code MAX, ABS}: {@code metric > best + threshold}.</li>
 * </ul>
 * After more than {@code patience} reports without improvement the rate is multiplied by
 * {@code factor} (not below {@code min_lr}, and only if that lowers it by more than {@code eps}),
 * then {@code cooldown} reports are ignored. See {@link PlateauSchedule}.
 *
 * @param mode          whether lower ({@link Mode#MIN}, a loss) or higher ({@link Mode#MAX}, an
 *                      accuracy) is better
 * @param factor        multiplier applied on a plateau, in (0, 1)
 * @param patience      reports without improvement tolerated before reducing, >= 0
 * @param threshold     how much a metric must beat the best to count as an improvement, >= 0
 * @param thresholdMode whether {@code threshold} is relative or absolute
 * @param cooldown      reports ignored after a reduction, >= 0
 * @param minLr         the plateau rule never reduces the rate below this, >= 0
 * @param eps           reductions smaller than this are skipped, >= 0
 */
public record PlateauOptions(Mode mode, double factor, int patience, double threshold,
                             ThresholdMode thresholdMode, int cooldown, double minLr, double eps) {

    /** Which direction of the metric is an improvement (PyTorch's {@code mode}). */
    public enum Mode {
        /** Lower is better (a loss). */
        MIN,
        /** Higher is better (an accuracy). */
        MAX
    }

    /** How the threshold is applied (PyTorch's {@code threshold_mode}). */
    public enum ThresholdMode {
        /** The threshold is a fraction of the best value. */
        REL,
        /** The threshold is in the metric's own units. */
        ABS
    }

    /** Validates every option; the message names the option (PyTorch's name) and the value. */
    public PlateauOptions {
        Checks.notNull("plateau", "mode", mode);
        // PyTorch only rejects factor >= 1; 0 or less would zero or flip the rate.
        if (!(factor > 0 && factor < 1)) {
            throw Checks.fail("plateau", "factor must be in (0, 1), got " + factor);
        }
        Checks.nonNegative("plateau", "patience", patience);
        Checks.nonNegative("plateau", "threshold", threshold);
        Checks.notNull("plateau", "threshold_mode", thresholdMode);
        Checks.nonNegative("plateau", "cooldown", cooldown);
        Checks.rate("plateau", "min_lr", minLr);
        Checks.nonNegative("plateau", "eps", eps);
    }

    /**
     * PyTorch's defaults: mode min, factor 0.1, patience 10, threshold 1e-4 relative, cooldown 0,
     * min_lr 0, eps 1e-8.
     */
    public static PlateauOptions defaults() {
        return new PlateauOptions(Mode.MIN, 0.1, 10, 1e-4, ThresholdMode.REL, 0, 0.0, 1e-8);
    }

    /** A copy with {@code mode} replaced (validated like the constructor). */
    public PlateauOptions withMode(Mode mode) {
        return new PlateauOptions(mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps);
    }

    /** A copy with {@code factor} replaced (validated like the constructor). */
    public PlateauOptions withFactor(double factor) {
        return new PlateauOptions(mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps);
    }

    /** A copy with {@code patience} replaced (validated like the constructor). */
    public PlateauOptions withPatience(int patience) {
        return new PlateauOptions(mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps);
    }

    /** A copy with {@code threshold} and {@code thresholdMode} replaced (validated like the constructor). */
    public PlateauOptions withThreshold(double threshold, ThresholdMode thresholdMode) {
        return new PlateauOptions(mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps);
    }

    /** A copy with {@code cooldown} replaced (validated like the constructor). */
    public PlateauOptions withCooldown(int cooldown) {
        return new PlateauOptions(mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps);
    }

    /** A copy with {@code minLr} replaced (validated like the constructor). */
    public PlateauOptions withMinLr(double minLr) {
        return new PlateauOptions(mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps);
    }

    /** A copy with {@code eps} replaced (validated like the constructor). */
    public PlateauOptions withEps(double eps) {
        return new PlateauOptions(mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps);
    }

    /** The best value before any report: every metric improves on it (PyTorch's {@code mode_worse}). */
    double worst() {
        return mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    /** PyTorch's {@code is_better}; a NaN metric is never better, so it counts as a bad report. */
    boolean isBetter(double metric, double best) {
        return switch (mode) {
            case MIN -> thresholdMode == ThresholdMode.REL ? metric < best * (1. - threshold) : metric < best - threshold;
            case MAX -> thresholdMode == ThresholdMode.REL ? metric > best * (threshold + 1.) : metric > best + threshold;
        };
    }
}
