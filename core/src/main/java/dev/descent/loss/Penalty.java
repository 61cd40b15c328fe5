package dev.descent.loss;

import dev.descent.tensor.Tensor;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A penalty term evaluated afresh each time it is asked for, such as an L2 penalty on a model's
 * current weights; {@link Losses#withPenalty} adds it to a loss at every call. The factories
 * here hold the parameter tensors (or the name map) and re-read them on every {@link #compute()},
 * so they see the values an optimizer has just written. Any lambda returning a 0-d tensor is a
 * penalty too. See {@link Penalties} for the formulas and how they differ from weight decay.
 */
@FunctionalInterface
public interface Penalty {
    /** The term's current value, differentiable with respect to the parameters. */
    Tensor compute();

    /** {@code lambda * sum w^2} over {@code params}; see {@link Penalties#l2(double, Iterable)}. */
    static Penalty l2(double lambda, Iterable<Tensor> params) {
        Penalties.checkLambda("l2", lambda);
        return () -> Penalties.l2(lambda, params);
    }

    /** {@code lambda * sum |w|} over {@code params}; see {@link Penalties#l1(double, Iterable)}. */
    static Penalty l1(double lambda, Iterable<Tensor> params) {
        Penalties.checkLambda("l1", lambda);
        return () -> Penalties.l1(lambda, params);
    }

    /** L2 over the parameters whose names {@code names} accepts, re-selected at each call. */
    static Penalty l2(double lambda, Map<String, Tensor> params, Predicate<String> names) {
        Penalties.checkLambda("l2", lambda);
        Penalties.select(params, names); // fail now on a pattern that selects nothing
        return () -> Penalties.l2(lambda, params, names);
    }

    /** L1 over the parameters whose names {@code names} accepts, re-selected at each call. */
    static Penalty l1(double lambda, Map<String, Tensor> params, Predicate<String> names) {
        Penalties.checkLambda("l1", lambda);
        Penalties.select(params, names);
        return () -> Penalties.l1(lambda, params, names);
    }

    /** This penalty plus another (e.g. an elastic net: L1 plus L2). */
    default Penalty plus(Penalty other) {
        return () -> compute().add(other.compute());
    }
}
