package dev.descent.loss;

import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * L1 and L2 penalty terms on parameters, to add to a loss:
 * <pre>
 *   l2(lambda, W) = lambda sum_{w in W} sum_i w_i^2        gradient 2 lambda w
 *   l1(lambda, W) = lambda sum_{w in W} sum_i |w_i|        gradient lambda sign(w) (0 at w = 0)
 * </pre>
 * Each method evaluates the term now, as a differentiable 0-d tensor: add it to the loss before
 * {@code backward()}. To have it re-evaluated at every step, wrap a loss with
 * {@link Losses#withPenalty} and a {@link Penalty}.
 *
 * <h2>Penalty versus weight decay</h2>
 * These are terms of the objective, and their gradient goes through the optimizer like the
 * loss's. That is not the same as weight decay:
 * <ul>
 *   <li>PyTorch's coupled {@code weight_decay = wd} (SGD, Adam, ...) adds {@code wd * w} to the
 *       gradient, which is the gradient of {@code (wd / 2) sum w^2}: it equals
 *       {@code l2(wd / 2, W)}, not {@code l2(wd, W)}.
 *   <li>Decoupled weight decay (AdamW; Loshchilov and Hutter, "Decoupled Weight Decay
 *       Regularization", ICLR 2019) shrinks {@code w -= lr * wd * w} outside the adaptive
 *       scaling. With Adam-like optimizers no penalty reproduces it, because the penalty's
 *       gradient is divided by the running RMS of the gradient like everything else. Use the
 *       optimizer's weight-decay transform for that.
 * </ul>
 *
 * <h2>Choosing parameters by name</h2>
 * Given a name-to-tensor map (PyTorch-style names such as {@code "0.weight"}, {@code "0.bias"}),
 * {@link #select} with {@link #namesMatching} or {@link #notBias()} picks, for example, the
 * weights and not the biases, which are usually left unpenalized.
 */
public final class Penalties {
    private Penalties() {}

    /** {@code lambda * sum of squares} of every element of every tensor in {@code params}. */
    public static Tensor l2(double lambda, Iterable<Tensor> params) {
        return total("l2", lambda, params, true);
    }

    /** {@code lambda * sum of absolute values} of every element of every tensor in {@code params}. */
    public static Tensor l1(double lambda, Iterable<Tensor> params) {
        return total("l1", lambda, params, false);
    }

    /** {@link #l2(double, Iterable)} of the parameters whose names {@code names} accepts. */
    public static Tensor l2(double lambda, Map<String, Tensor> params, Predicate<String> names) {
        return l2(lambda, select(params, names));
    }

    /** {@link #l1(double, Iterable)} of the parameters whose names {@code names} accepts. */
    public static Tensor l1(double lambda, Map<String, Tensor> params, Predicate<String> names) {
        return l1(lambda, select(params, names));
    }

    /**
     * The tensors of {@code params} whose names {@code names} accepts, in the map's order.
     *
     * @throws IllegalArgumentException if none is accepted (a mistyped pattern), listing the names
     */
    public static List<Tensor> select(Map<String, Tensor> params, Predicate<String> names) {
        if (params == null || names == null) throw new IllegalArgumentException("penalty: params and names must not be null");
        List<Tensor> chosen = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            if (names.test(e.getKey())) chosen.add(e.getValue());
        }
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("penalty: no parameter name is selected among " + params.keySet());
        }
        return chosen;
    }

    /** Accepts names that match {@code regex} as a whole, e.g. {@code ".*\\.weight"}. */
    public static Predicate<String> namesMatching(String regex) {
        return Pattern.compile(regex).asMatchPredicate();
    }

    /** Accepts every name except those whose last dot-separated part is {@code bias}. */
    public static Predicate<String> notBias() {
        return name -> !(name.equals("bias") || name.endsWith(".bias"));
    }

    static double checkLambda(String kind, double lambda) {
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException(kind + " penalty: lambda must be finite and >= 0, got " + lambda);
        }
        return lambda;
    }

    private static Tensor total(String kind, double lambda, Iterable<Tensor> params, boolean squared) {
        checkLambda(kind, lambda);
        if (params == null) throw new IllegalArgumentException(kind + " penalty: params is null");
        Tensor sum = null;
        for (Tensor w : params) {
            if (w == null) throw new IllegalArgumentException(kind + " penalty: a parameter is null");
            Tensor term = squared ? w.mul(w).sum() : w.abs().sum();
            sum = sum == null ? term : sum.add(term);
        }
        if (sum == null) throw new IllegalArgumentException(kind + " penalty: no parameters given");
        return sum.mul(lambda);
    }
}
