package dev.descent.loss;

import dev.descent.tensor.Tensor;

/**
 * A loss function: {@code apply(input, target)} returns the loss of a model's {@code input}
 * (its output: predictions, logits, probabilities or log-probabilities, depending on the loss)
 * against {@code target}, reduced as the loss's {@link Reduction} says: a 0-d tensor for
 * {@link Reduction#MEAN}, {@link Reduction#SUM} and {@link Reduction#BATCH_MEAN}, or one value per
 * element (per sample for class-index losses) for {@link Reduction#NONE}.
 *
 * <p>The result is differentiable with respect to {@code input}, and with respect to
 * {@code target} where PyTorch differentiates it (regression targets, probability targets).
 * Implementations throw {@link IllegalArgumentException} naming the loss and the shapes (or the
 * offending element) when the arguments do not fit.
 *
 * <p>This is an open interface: implement it to add a loss. The built-in ones come from
 * {@link Losses}.
 */
@FunctionalInterface
public interface Loss {
    /**
     * The loss of {@code input} against {@code target}.
     *
     * @param input  the model's output
     * @param target what it should have been
     * @return the loss, reduced per the loss's reduction
     */
    Tensor apply(Tensor input, Tensor target);
}
