package dev.descent.optim;

/**
 * The gradients an optimizer is about to apply, by parameter name: what a
 * {@link GradientTransform} sees. The arrays are the live storage of each parameter's
 * {@code grad()}; a transform changes them in place (as PyTorch's {@code clip_grad_norm_} does).
 * Parameters without a gradient this step are not listed.
 */
public interface Gradients {
    /** Number of parameters that have a gradient. */
    int size();

    /** Name of the i-th parameter, such as {@code "0.weight"}. */
    String name(int i);

    /** Live gradient storage of the i-th parameter. */
    float[] grad(int i);
}
