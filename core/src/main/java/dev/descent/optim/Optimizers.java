package dev.descent.optim;

import dev.descent.registry.Row;
import dev.descent.registry.Values;
import dev.descent.schedule.Schedule;
import dev.descent.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Static factories for the built-in optimizers, with PyTorch's defaults and option names (the
 * short forms take their defaults from {@link OptimizerRegistry}, the table the command line reads
 * too; the long forms take every option). Each
 * returns an {@link OptimizerSpec}; {@code .bind(params)} makes the {@link Optimizer}. Every
 * factory takes the learning rate as a constant or as a {@link Schedule}. Options not in a
 * factory's signature ({@code maximizing()}, groups, clipping, accumulation) are {@code OptimizerSpec}
 * methods.
 *
 * <p>Weight decay is coupled L2 (added to the gradient) for every optimizer except
 * {@link #adamW} and {@link #lion}, where it is decoupled (the parameter shrinks by
 * {@code lr * weight_decay} each step), as in PyTorch.
 */
public final class Optimizers {
    private Optimizers() {}

    /** Names a plain list "0", "1", ... as PyTorch's optimizer state_dict does. */
    public static Map<String, Tensor> named(List<Tensor> params) {
        if (params == null) throw new IllegalArgumentException("params is null");
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) m.put(Integer.toString(i), params.get(i));
        return m;
    }

    /** Any update rule, for user-written rules. */
    public static OptimizerSpec of(UpdateRule rule, Schedule lr, double weightDecay) {
        return new OptimizerSpec(rule, lr, weightDecay, false, List.of(), List.of(), Accumulation.NONE);
    }

    static Schedule constant(double lr) {
        return new ConstantLr(lr);
    }

    /** The optimizer of {@link OptimizerRegistry} with its defaults, but for the options given as key, value pairs. */
    private static OptimizerSpec registered(String name, Schedule lr, Object... keysAndValues) {
        Row<Schedule, OptimizerSpec> row = OptimizerRegistry.REGISTRY.require(name);
        Values given = Values.of(row);
        for (int i = 0; i < keysAndValues.length; i += 2) given.with((String) keysAndValues[i], keysAndValues[i + 1]);
        return row.make(lr, given);
    }

    // ---------------------------------------------------------------------------------- SGD

    /** Plain SGD. */
    public static OptimizerSpec sgd(double lr) {
        return sgd(constant(lr));
    }

    public static OptimizerSpec sgd(Schedule lr) {
        return registered("sgd", lr);
    }

    /** SGD with heavy-ball momentum. */
    public static OptimizerSpec sgd(double lr, double momentum) {
        return sgd(constant(lr), momentum);
    }

    public static OptimizerSpec sgd(Schedule lr, double momentum) {
        return registered("sgd", lr, "momentum", momentum);
    }

    /** {@link Sgd} with all options. */
    public static OptimizerSpec sgd(double lr, double momentum, double dampening, boolean nesterov, double weightDecay) {
        return sgd(constant(lr), momentum, dampening, nesterov, weightDecay);
    }

    /** {@link Sgd} with all options and a schedule. */
    public static OptimizerSpec sgd(Schedule lr, double momentum, double dampening, boolean nesterov, double weightDecay) {
        return of(new Sgd(momentum, dampening, nesterov), lr, weightDecay);
    }

    // ---------------------------------------------------------------------------------- Adagrad

    /** Adagrad with PyTorch's defaults (lr_decay 0, initial_accumulator_value 0, eps 1e-10). */
    public static OptimizerSpec adagrad(double lr) {
        return adagrad(constant(lr));
    }

    public static OptimizerSpec adagrad(Schedule lr) {
        return registered("adagrad", lr);
    }

    public static OptimizerSpec adagrad(double lr, double lrDecay, double initialAccumulatorValue, double eps, double weightDecay) {
        return adagrad(constant(lr), lrDecay, initialAccumulatorValue, eps, weightDecay);
    }

    /** {@link Adagrad} with all options. */
    public static OptimizerSpec adagrad(Schedule lr, double lrDecay, double initialAccumulatorValue, double eps, double weightDecay) {
        return of(new Adagrad(lrDecay, initialAccumulatorValue, eps), lr, weightDecay);
    }

    // ---------------------------------------------------------------------------------- Adadelta

    /** Adadelta with PyTorch's defaults (rho 0.9, eps 1e-6); PyTorch's default lr is 1.0. */
    public static OptimizerSpec adadelta(double lr) {
        return adadelta(constant(lr));
    }

    public static OptimizerSpec adadelta(Schedule lr) {
        return registered("adadelta", lr);
    }

    public static OptimizerSpec adadelta(double lr, double rho, double eps, double weightDecay) {
        return adadelta(constant(lr), rho, eps, weightDecay);
    }

    /** {@link Adadelta} with all options. */
    public static OptimizerSpec adadelta(Schedule lr, double rho, double eps, double weightDecay) {
        return of(new Adadelta(rho, eps), lr, weightDecay);
    }

    // ---------------------------------------------------------------------------------- RMSprop

    /** RMSprop with PyTorch's defaults (alpha 0.99, eps 1e-8, no momentum, not centered). */
    public static OptimizerSpec rmsprop(double lr) {
        return rmsprop(constant(lr));
    }

    public static OptimizerSpec rmsprop(Schedule lr) {
        return registered("rmsprop", lr);
    }

    public static OptimizerSpec rmsprop(double lr, double alpha, double eps, double momentum, boolean centered, double weightDecay) {
        return rmsprop(constant(lr), alpha, eps, momentum, centered, weightDecay);
    }

    /** {@link RmsProp} with all options. */
    public static OptimizerSpec rmsprop(Schedule lr, double alpha, double eps, double momentum, boolean centered, double weightDecay) {
        return of(new RmsProp(alpha, eps, momentum, centered), lr, weightDecay);
    }

    // ---------------------------------------------------------------------------------- Adam

    /** Adam with PyTorch's defaults (betas 0.9, 0.999; eps 1e-8). */
    public static OptimizerSpec adam(double lr) {
        return adam(constant(lr));
    }

    public static OptimizerSpec adam(Schedule lr) {
        return registered("adam", lr);
    }

    public static OptimizerSpec adam(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        return adam(constant(lr), beta1, beta2, eps, weightDecay, amsgrad);
    }

    /** {@link Adam} with coupled L2 weight decay. */
    public static OptimizerSpec adam(Schedule lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        return of(new Adam(beta1, beta2, eps, amsgrad, false), lr, weightDecay);
    }

    // ---------------------------------------------------------------------------------- AdamW

    /** AdamW with PyTorch's defaults (betas 0.9, 0.999; eps 1e-8). */
    public static OptimizerSpec adamW(double lr, double weightDecay) {
        return adamW(constant(lr), weightDecay);
    }

    public static OptimizerSpec adamW(Schedule lr, double weightDecay) {
        return registered("adamw", lr, "weight_decay", weightDecay);
    }

    public static OptimizerSpec adamW(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        return adamW(constant(lr), beta1, beta2, eps, weightDecay, amsgrad);
    }

    /** {@link Adam} with decoupled weight decay. */
    public static OptimizerSpec adamW(Schedule lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        return of(new Adam(beta1, beta2, eps, amsgrad, true), lr, weightDecay);
    }

    // ---------------------------------------------------------------------------------- Adamax

    /** Adamax with PyTorch's defaults (betas 0.9, 0.999; eps 1e-8); PyTorch's default lr is 2e-3. */
    public static OptimizerSpec adamax(double lr) {
        return adamax(constant(lr));
    }

    public static OptimizerSpec adamax(Schedule lr) {
        return registered("adamax", lr);
    }

    public static OptimizerSpec adamax(double lr, double beta1, double beta2, double eps, double weightDecay) {
        return adamax(constant(lr), beta1, beta2, eps, weightDecay);
    }

    /** {@link Adamax} with all options. */
    public static OptimizerSpec adamax(Schedule lr, double beta1, double beta2, double eps, double weightDecay) {
        return of(new Adamax(beta1, beta2, eps), lr, weightDecay);
    }

    // ---------------------------------------------------------------------------------- NAdam

    /** NAdam with PyTorch's defaults (betas 0.9, 0.999; eps 1e-8; momentum_decay 4e-3). */
    public static OptimizerSpec nadam(double lr) {
        return nadam(constant(lr));
    }

    public static OptimizerSpec nadam(Schedule lr) {
        return registered("nadam", lr);
    }

    public static OptimizerSpec nadam(double lr, double beta1, double beta2, double eps, double weightDecay, double momentumDecay) {
        return nadam(constant(lr), beta1, beta2, eps, weightDecay, momentumDecay);
    }

    /** {@link NAdam} with all options. */
    public static OptimizerSpec nadam(Schedule lr, double beta1, double beta2, double eps, double weightDecay, double momentumDecay) {
        return of(new NAdam(beta1, beta2, eps, momentumDecay), lr, weightDecay);
    }

    // ---------------------------------------------------------------------------------- RAdam

    /** RAdam with PyTorch's defaults (betas 0.9, 0.999; eps 1e-8). */
    public static OptimizerSpec radam(double lr) {
        return radam(constant(lr));
    }

    public static OptimizerSpec radam(Schedule lr) {
        return registered("radam", lr);
    }

    public static OptimizerSpec radam(double lr, double beta1, double beta2, double eps, double weightDecay) {
        return radam(constant(lr), beta1, beta2, eps, weightDecay);
    }

    /** {@link RAdam} with all options. */
    public static OptimizerSpec radam(Schedule lr, double beta1, double beta2, double eps, double weightDecay) {
        return of(new RAdam(beta1, beta2, eps), lr, weightDecay);
    }

    // ---------------------------------------------------------------------------------- Lion

    /** Lion with the paper's defaults (betas 0.9, 0.99). */
    public static OptimizerSpec lion(double lr, double weightDecay) {
        return lion(constant(lr), weightDecay);
    }

    public static OptimizerSpec lion(Schedule lr, double weightDecay) {
        return registered("lion", lr, "weight_decay", weightDecay);
    }

    public static OptimizerSpec lion(double lr, double beta1, double beta2, double weightDecay) {
        return lion(constant(lr), beta1, beta2, weightDecay);
    }

    /** {@link Lion} with all options (weight decay is decoupled). */
    public static OptimizerSpec lion(Schedule lr, double beta1, double beta2, double weightDecay) {
        return of(new Lion(beta1, beta2), lr, weightDecay);
    }
}
