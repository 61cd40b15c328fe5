package dev.descent.optim;

import java.util.List;

/**
 * The terminal transform of an optimizer: it reads the (already accumulated, clipped) gradient of
 * one parameter, updates that parameter's state buffers and writes the parameter, in one fused
 * pass over the arrays with no allocation.
 *
 * <p>The per-element gradient preprocessing every PyTorch optimizer applies (negation when
 * maximizing, coupled L2 weight decay {@code g <- g + lambda * theta}, or decoupled decay
 * {@code theta <- theta * (1 - lr * lambda)}) is a transform in its own right, but it is applied
 * inside the rule's loop: element by element the operations, and so the float32 roundings, are
 * exactly those of separate passes, and the parameter is read and written once.
 *
 * <p>Implementations compute in float32 in PyTorch 1.13's operation order; scalars that PyTorch
 * computes in Python (bias corrections, step sizes) are computed in double and rounded to float
 * where PyTorch hands them to a tensor operation. The gradient array must not be modified.
 *
 * <p>Users may implement their own rule and pass it to {@link Optimizers#of}.
 */
public interface UpdateRule {

    /** One state buffer of a parameter: its name (PyTorch's), length and initial value. */
    record Buffer(String name, int length, float initial) {
        public Buffer {
            if (name == null || name.isEmpty() || name.contains("/")) {
                throw new IllegalArgumentException("Invalid buffer name: '" + name + "' (non-empty, no '/')");
            }
            if (length < 0) throw new IllegalArgumentException("Invalid buffer length " + length + " for " + name);
        }
    }

    /** Short name used in messages, such as {@code "Adam"}. */
    String name();

    /** The state buffers this rule keeps for a parameter of {@code numel} elements. */
    List<Buffer> buffers(int numel);

    /**
     * Applies one update to a parameter.
     *
     * @param param the live parameter storage, updated in place
     * @param grad the gradient (read only)
     * @param state the buffers declared by {@link #buffers}, in that order
     * @param step this parameter's update count including this update (1 for the first)
     * @param lr the learning rate of the parameter's group for this step
     * @param weightDecay the weight decay of the parameter's group
     * @param maximize whether to ascend instead of descend (the gradient is negated)
     */
    void update(float[] param, float[] grad, float[][] state, long step, double lr, double weightDecay, boolean maximize);
}
