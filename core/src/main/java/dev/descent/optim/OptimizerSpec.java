package dev.descent.optim;

import dev.descent.schedule.Schedule;
import dev.descent.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * An optimizer before it meets its parameters: the update rule, the default learning rate and
 * weight decay, parameter groups, gradient transforms and accumulation. Immutable; every
 * {@code with...} method returns a new spec. {@link #bind} makes the {@link Optimizer}.
 *
 * <pre>{@code
 * Optimizer opt = Optimizers.adamW(3e-3, 0.01)
 *         .withGroups(ParamGroups.noDecayOnBiasAndNorm())
 *         .clipByGlobalNorm(1.0)
 *         .bind(model.namedParameters());
 * }</pre>
 *
 * @param rule the fused update rule
 * @param lr default learning-rate schedule
 * @param weightDecay default weight decay, {@code >= 0}
 * @param maximize ascend the objective instead of descending it
 * @param groups group rules, tried in order
 * @param transforms gradient transforms applied in order before the rule
 * @param accumulation gradient accumulation
 */
public record OptimizerSpec(UpdateRule rule, Schedule lr, double weightDecay, boolean maximize,
                            List<GroupSpec> groups, List<GradientTransform> transforms, Accumulation accumulation) {
    public OptimizerSpec {
        if (rule == null) throw new IllegalArgumentException("rule is null");
        if (lr == null) throw new IllegalArgumentException("lr schedule is null");
        Check.nonNegative("weight_decay", weightDecay);
        groups = List.copyOf(groups);
        transforms = List.copyOf(transforms);
        if (accumulation == null) throw new IllegalArgumentException("accumulation is null");
    }

    /** Binds to named parameters, in map order (use a LinkedHashMap; names as in a state_dict). */
    public Optimizer bind(Map<String, Tensor> params) {
        return new Optimizer(this, params);
    }

    /** Binds to a plain list; parameters are named "0", "1", ... as in PyTorch's optimizer state_dict. */
    public Optimizer bind(List<Tensor> params) {
        return new Optimizer(this, Optimizers.named(params));
    }

    /** Ascend instead of descend (PyTorch's {@code maximize=True}). */
    public OptimizerSpec maximizing() {
        return new OptimizerSpec(rule, lr, weightDecay, true, groups, transforms, accumulation);
    }

    /** Adds parameter groups (after any already given). */
    public OptimizerSpec withGroups(GroupSpec... more) {
        List<GroupSpec> g = new ArrayList<>(groups);
        g.addAll(Arrays.asList(more));
        return new OptimizerSpec(rule, lr, weightDecay, maximize, g, transforms, accumulation);
    }

    /** Appends a gradient transform. */
    public OptimizerSpec transform(GradientTransform t) {
        if (t == null) throw new IllegalArgumentException("transform is null");
        List<GradientTransform> list = new ArrayList<>(transforms);
        list.add(t);
        return new OptimizerSpec(rule, lr, weightDecay, maximize, groups, list, accumulation);
    }

    /** Clip all gradients to a global L2 norm before each update; non-finite gradients throw. */
    public OptimizerSpec clipByGlobalNorm(double maxNorm) {
        return transform(GradClip.byGlobalNorm(maxNorm));
    }

    /** Clip all gradients to a global p-norm ({@code Double.POSITIVE_INFINITY} for the max norm). */
    public OptimizerSpec clipByGlobalNorm(double maxNorm, double normType) {
        return transform(GradClip.byGlobalNorm(maxNorm, normType, true));
    }

    /** Clamp gradient elements to {@code [-clipValue, clipValue]} before each update. */
    public OptimizerSpec clipByValue(double clipValue) {
        return transform(GradClip.byValue(clipValue));
    }

    /** Throw {@link NonFiniteGradientException} instead of applying a NaN or infinite gradient. */
    public OptimizerSpec rejectNonFinite() {
        return transform(GradClip.rejectNonFinite());
    }

    /** Accumulate gradients over micro-batches (see {@link Accumulation}). */
    public OptimizerSpec accumulate(Accumulation accumulation) {
        return new OptimizerSpec(rule, lr, weightDecay, maximize, groups, transforms, accumulation);
    }
}
