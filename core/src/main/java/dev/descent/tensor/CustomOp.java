package dev.descent.tensor;

import java.util.Arrays;

/**
 * A differentiable operation defined outside this package, as JAX's {@code jax.custom_vjp} or a
 * PyTorch {@code autograd.Function}: the caller computes the value by any means (kernels on raw
 * arrays, a fused loop) and gives the rule that turns the gradient of the value into gradients
 * of the inputs (the vector-Jacobian product). The result takes part in autograd like any
 * built-in operation, so fused operations can live in the package of their concept (a loss in
 * {@code loss}, a layer's fusion in {@code nn}) instead of here.
 *
 * <pre>{@code
 * // y = x^3 elementwise, dy/dx = 3 x^2
 * Tensor y = CustomOp.apply("cube", cubeOf(x), g -> new Tensor[] {g.mul(x.mul(x).mul(3))}, x);
 * }</pre>
 *
 * <p>The value must not itself record a graph (compute it from raw arrays, or under
 * {@link GradMode#noGrad()}): its gradient is the rule's business alone. The rule runs with
 * recording off, receives a gradient of the value's shape, and returns one gradient per input, of
 * that input's shape, or null for an input that needs none (the rule may skip work for inputs
 * that do not {@linkplain Tensor#requiresGrad() require gradients}). It must not keep or hand out
 * the incoming gradient's storage beyond returning it, and must not modify the inputs. Storage for
 * values and gradients comes from {@link Tensor#empty} or {@link Tensor#zeros}, which a
 * {@link CapturedStep} plans like any built-in operation's. Check a rule with
 * {@link GradientCheck} in float64.
 */
public final class CustomOp {
    private CustomOp() {}

    /** The derivative rule: dL/d(value) to dL/d(input i), one per input, null where not needed. */
    @FunctionalInterface
    public interface Vjp {
        Tensor[] apply(Tensor gradValue);
    }

    /**
     * Records {@code value} as the output of operation {@code name} on {@code inputs} with the
     * given rule, when gradients are on and an input requires them; returns {@code value}.
     *
     * @throws IllegalArgumentException when the value already records a graph or is one of the inputs
     */
    public static Tensor apply(String name, Tensor value, Vjp vjp, Tensor... inputs) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("CustomOp.apply: an operation name is required");
        if (value.node != null || value.requiresGrad()) {
            throw new IllegalArgumentException(name + ": the value records a graph of its own (made by "
                    + (value.node != null ? value.node.op() : "a leaf that requires gradients")
                    + "); compute it from raw data or under GradMode.noGrad()");
        }
        for (Tensor in : inputs) {
            if (in == value) throw new IllegalArgumentException(name + ": the value is one of the inputs; return a new tensor");
        }
        Tensor[] kept = inputs.clone();
        return Ops.record(value, name, g -> checked(name, vjp.apply(g), kept), kept);
    }

    /** The rule's gradients, checked for count and shapes so that a wrong rule is named, not blamed on autograd. */
    private static Tensor[] checked(String name, Tensor[] grads, Tensor[] inputs) {
        if (grads == null || grads.length != inputs.length) {
            throw new IllegalStateException(name + ": the vjp returned " + (grads == null ? "null" : grads.length + " gradients")
                    + " for " + inputs.length + " inputs");
        }
        for (int i = 0; i < grads.length; i++) {
            if (grads[i] != null && inputs[i] != null && !Arrays.equals(grads[i].shape, inputs[i].shape)) {
                throw new IllegalStateException(name + ": the vjp returned a gradient of shape " + Shapes.format(grads[i].shape)
                        + " for input " + i + " of shape " + Shapes.format(inputs[i].shape));
            }
        }
        return grads;
    }
}
