package dev.descent.metric;

import dev.descent.tensor.Tensor;

/**
 * A quality measure computed over a whole evaluation set at once: the model's outputs for every
 * example ([N, C] logits or probabilities for classification, [N] or [N, 1] values for
 * regression) and the targets ([N] class indices or values). Open for users to add their own.
 */
public interface Metric {
    /** Short name used in logs, configs and reports, e.g. "accuracy", "f1_macro". */
    String name();

    /** True when larger values are better (accuracy), false when smaller are (MSE). */
    boolean higherIsBetter();

    /** The metric's value for these outputs and targets. */
    double compute(Tensor outputs, Tensor targets);
}
