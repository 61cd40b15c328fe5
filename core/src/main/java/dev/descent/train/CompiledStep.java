package dev.descent.train;

import dev.descent.loss.Loss;
import dev.descent.nn.Module;
import dev.descent.optim.Optimizer;
import dev.descent.tensor.DType;
import dev.descent.tensor.GradMode;
import dev.descent.tensor.Tensor;
import dev.descent.tensor.kernel.Kernels;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * One training step of a fixed model, loss and optimizer, the way {@code jax.jit} compiles a
 * train step or {@code torch.compile} a module: {@link #run} does what
 * <pre>{@code
 *   optimizer.zeroGrad();
 *   Tensor l = loss.apply(model.forward(x), y);
 *   l.backward();
 *   optimizer.step();
 *   return l.item();
 * }</pre>
 * does, with the same bits, but when the model is a chain of {@code Linear} and {@code ReLU}
 * layers and the loss MSE, binary cross-entropy with logits or cross-entropy on class indices
 * (without weights or smoothing), the forward and backward pass run
 * from a plan made once ({@link StepPlan}): the same kernels on buffers kept between steps, with
 * no tensors, graph or topological sort per step. For tiny models (a logistic regression on a
 * batch of 32) that bookkeeping was nearly the whole step, and most of the code the JIT had to
 * compile before the loop ran at speed.
 *
 * <p>Anything else runs eagerly, as {@code torch.compile} falls back on a graph break:
 * {@link #fallbackReason()} says why at construction; a call whose tensors do not fit the plan
 * (another width, a target of another shape, tensors requiring gradients, float64, autograd off)
 * runs that call eagerly, so it gets eager's result or eager's error message.
 *
 * <p>After a compiled call each parameter's {@code grad()} holds its gradient, as after the eager
 * step, in a tensor the step reuses: a gradient kept across steps sees later values (as PyTorch's
 * {@code zero_grad(set_to_none=False)}). The optimizer still does the update, so its learning-rate
 * schedule, weight decay, gradient clipping and state all apply. Optimizers that accumulate
 * gradients over micro-batches run eagerly. Not thread-safe: one step object per training loop.
 */
public final class CompiledStep {
    private final Module model;
    private final Loss loss;
    private final Optimizer optimizer;
    private final StepPlan plan;
    private final String fallbackReason;
    // a cross-entropy plan's class indices for the target accepts() last checked, until the step uses them
    private Tensor labelsOf;
    private int[] labels;

    private CompiledStep(Module model, Loss loss, Optimizer optimizer, StepPlan plan, String fallbackReason) {
        this.model = model;
        this.loss = loss;
        this.optimizer = optimizer;
        this.plan = plan;
        this.fallbackReason = fallbackReason;
    }

    /** The step for this model, loss and optimizer: compiled where it can be, eager otherwise. */
    public static CompiledStep of(Module model, Loss loss, Optimizer optimizer) {
        if (model == null || loss == null || optimizer == null) throw new IllegalArgumentException("CompiledStep.of: model, loss and optimizer are required");
        String why = whyEager(model, optimizer);
        StepPlan plan = null;
        if (why == null) {
            try {
                plan = StepPlan.compile(model, loss);
                // done here, once, rather than inside the first step (see initializeScalar)
                Kernels.initializeScalar();
                GradMode.isEnabled();
            } catch (IllegalArgumentException e) {
                why = e.getMessage();
            }
        }
        return new CompiledStep(model, loss, optimizer, plan, why);
    }

    private static String whyEager(Module model, Optimizer optimizer) {
        if (optimizer.spec().accumulation().every() > 1) return "the optimizer accumulates gradients over micro-batches";
        Set<Tensor> own = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Tensor p : model.namedParameters().values()) {
            if (!p.requiresGrad()) return "a parameter of the model is frozen (requiresGrad false)";
            own.add(p);
        }
        Set<Tensor> updated = Collections.newSetFromMap(new IdentityHashMap<>());
        updated.addAll(optimizer.parameters().values());
        if (!own.equals(updated)) return "the optimizer does not update exactly the model's parameters";
        return null;
    }

    /** Whether calls run the compiled plan (when their tensors fit it). */
    public boolean isCompiled() {
        return plan != null;
    }

    /** Why every call runs eagerly, or null when the step is compiled. */
    public String fallbackReason() {
        return fallbackReason;
    }

    /**
     * Zeroes the gradients, runs the model on {@code input}, the loss against {@code target},
     * backward and the optimizer step; returns the loss (a float's value, as {@code item()}).
     */
    public double run(Tensor input, Tensor target) {
        if (accepts(input, target)) {
            double value = planned(input, target);
            optimizer.step();
            return value;
        }
        optimizer.zeroGrad();
        Tensor l = loss.apply(model.forward(input), target);
        l.backward();
        optimizer.step();
        return l.item();
    }

    /**
     * Whether a call with these tensors runs the compiled plan (rather than eagerly): the step
     * is compiled and the tensors fit it. What {@link #lossAndGradients} requires.
     */
    public boolean accepts(Tensor input, Tensor target) {
        return plan != null && fits(input, target);
    }

    /**
     * The forward and backward half of {@link #run}, for a training loop that checks the loss or
     * measures the gradients before the update (the Trainer): leaves each parameter's gradient
     * in its {@code grad()} and returns the loss, without the optimizer step. Only for tensors
     * the step {@link #accepts}.
     */
    public double lossAndGradients(Tensor input, Tensor target) {
        if (!accepts(input, target)) {
            throw new IllegalStateException("lossAndGradients: the compiled plan does not take these tensors"
                    + (plan == null ? " (" + fallbackReason + ")" : "") + "; check accepts() first");
        }
        return planned(input, target);
    }

    /**
     * The plan's forward and backward for tensors {@link #accepts} has just accepted (for
     * cross-entropy its labels are current): {@link #lossAndGradients} without checking again,
     * for the Trainer, which asks accepts() first on every step.
     */
    double planned(Tensor input, Tensor target) {
        boolean indices = plan.classIndexLoss() != null;
        float value = plan.run(floats(input), indices ? null : floats(target), indices ? labels : null, input.size(0));
        labelsOf = null; // read afresh next time: a caller may refill the same target tensor
        return value;
    }

    /**
     * Float32 [rows, in] input without gradient, autograd on, and a target the plan's loss takes
     * on its fused path: float32 [rows, out] without gradient, or for cross-entropy class indices
     * [rows] (kept in {@link #labels} for the call).
     */
    private boolean fits(Tensor x, Tensor y) {
        if (x.dim() != 2 || x.dtype() != DType.F32 || x.requiresGrad() || !GradMode.isEnabled()) return false;
        int rows = x.size(0);
        if (rows < 1 || x.size(1) != plan.inWidth()) return false;
        if (plan.classIndexLoss() != null) {
            if (y != labelsOf) {
                labels = plan.classIndexLoss().fusedLabels(rows, plan.outWidth(), y);
                labelsOf = y;
            }
            return labels != null;
        }
        return y.dim() == 2 && y.dtype() == DType.F32 && y.size(0) == rows && y.size(1) == plan.outWidth() && !y.requiresGrad();
    }

    /** The row-major values: the tensor's own array when it has one of exactly its size, else a copy. */
    private static float[] floats(Tensor t) {
        return t.isWholeF32() ? t.data() : t.toFloatArray();
    }
}
