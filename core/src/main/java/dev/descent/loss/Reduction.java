package dev.descent.loss;

import dev.descent.tensor.Tensor;
import java.util.Locale;

/**
 * How a loss turns its per-element values {@code l_i} into its result, as PyTorch's
 * {@code reduction} argument.
 *
 * <ul>
 *   <li>{@link #NONE}: the per-element values themselves;
 *   <li>{@link #MEAN}: {@code sum_i l_i / n} (cross-entropy and NLL with class weights or ignored
 *       targets divide by the total weight of the counted targets instead; see
 *       {@link CrossEntropyLoss});
 *   <li>{@link #SUM}: {@code sum_i l_i};
 *   <li>{@link #BATCH_MEAN}: {@code sum_i l_i / input.size(0)}, PyTorch's {@code "batchmean"},
 *       accepted by {@link KlDivLoss} only (where it gives the true KL divergence per sample).
 * </ul>
 */
public enum Reduction {
    /** No reduction: one loss value per element (or per sample). */
    NONE("none"),
    /** The mean of the per-element values. */
    MEAN("mean"),
    /** The sum of the per-element values. */
    SUM("sum"),
    /** The sum divided by the size of the first (batch) dimension; KL divergence only. */
    BATCH_MEAN("batchmean");

    private final String torchName;

    Reduction(String torchName) {
        this.torchName = torchName;
    }

    /** PyTorch's name for this reduction: "none", "mean", "sum" or "batchmean". */
    public String torchName() {
        return torchName;
    }

    /**
     * The reduction PyTorch calls {@code name} ("none", "mean", "sum", "batchmean"; case and a
     * separating underscore are ignored, so "BATCH_MEAN" works too).
     *
     * @throws IllegalArgumentException for any other name, listing the valid ones
     */
    public static Reduction parse(String name) {
        String key = name == null ? "" : name.toLowerCase(Locale.ROOT).replace("_", "");
        for (Reduction r : values()) {
            if (r.torchName.equals(key)) return r;
        }
        throw new IllegalArgumentException("reduction: unknown value '" + name + "'; expected none, mean, sum or batchmean");
    }

    /** Applies this reduction to per-element loss values (plain mean for {@link #MEAN}). */
    public Tensor apply(Tensor perElement) {
        return switch (this) {
            case NONE -> perElement;
            case MEAN -> perElement.mean();
            case SUM -> perElement.sum();
            case BATCH_MEAN -> perElement.sum().div(perElement.dim() == 0 ? 1 : perElement.size(0));
        };
    }

    /** Rejects null and (for every loss but KL divergence) {@link #BATCH_MEAN}. */
    static Reduction checkOrdinary(String loss, Reduction reduction) {
        if (reduction == null) throw new IllegalArgumentException(loss + ": reduction is null; use Reduction.MEAN, SUM or NONE");
        if (reduction == BATCH_MEAN) {
            throw new IllegalArgumentException(loss + ": reduction 'batchmean' is only defined for klDiv; use MEAN, SUM or NONE");
        }
        return reduction;
    }
}
