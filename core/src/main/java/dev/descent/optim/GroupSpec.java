package dev.descent.optim;

import dev.descent.schedule.Schedule;

/**
 * A parameter group before binding: which parameters it takes and what it overrides. A null
 * {@code lr} or {@code weightDecay} means "as the optimizer's default". Rules are tried in order;
 * a parameter joins the first group that selects it, or the default group (index 0).
 *
 * @param label name used in messages and by {@link Optimizer#groups()}
 * @param selector which parameters
 * @param lr learning-rate schedule of the group, or null for the default
 * @param weightDecay weight decay of the group ({@code >= 0}), or null for the default
 */
public record GroupSpec(String label, ParamSelector selector, Schedule lr, Double weightDecay) {
    public GroupSpec {
        if (label == null || label.isBlank()) throw new IllegalArgumentException("Invalid group label: blank");
        if (selector == null) throw new IllegalArgumentException("group '" + label + "': selector is null");
        if (weightDecay != null) Check.nonNegative("weight_decay of group '" + label + "'", weightDecay);
    }

    /** This group with a constant learning rate. */
    public GroupSpec withLr(double lr) {
        return new GroupSpec(label, selector, new ConstantLr(lr), weightDecay);
    }

    /** This group with its own schedule. */
    public GroupSpec withLr(Schedule lr) {
        if (lr == null) throw new IllegalArgumentException("group '" + label + "': schedule is null");
        return new GroupSpec(label, selector, lr, weightDecay);
    }

    /** This group with its own weight decay. */
    public GroupSpec withWeightDecay(double weightDecay) {
        return new GroupSpec(label, selector, lr, weightDecay);
    }
}
