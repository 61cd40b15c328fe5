package dev.descent.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

/**
 * Tree-structured Parzen Estimator (Bergstra, Bardenet, Bengio and Kégl 2011, "Algorithms for
 * Hyper-Parameter Optimization", NeurIPS), with Optuna's defaults.
 *
 * <p>Instead of modelling {@code p(y | x)}, TPE models {@code p(x | y)} with two densities: the
 * finished trials are ranked by loss and the best {@code gamma(n) = min(ceil(0.1 n), 25)} form the
 * "good" set with density {@code l(x)}, the rest the "bad" set with density {@code g(x)}. Expected
 * improvement is monotone in {@code l(x) / g(x)}, so each parameter draws
 * {@code n_ei_candidates = 24} candidates from {@code l} and keeps the one maximizing
 * {@code log l(x) - log g(x)}. Parameters are modelled independently (univariate TPE): truncated
 * Gaussian mixtures ({@link ParzenEstimator}) in the internal coordinate of numeric dimensions
 * ({@code ln x} for log ones; integers widened by half a step and rounded back), smoothed
 * frequencies ({@link CategoricalEstimator}) for categorical ones.
 *
 * <p>Details as in Optuna: the first {@code n_startup_trials = 10} trials are random; the prior
 * kernel has weight 1; observation weights are 1 for the 25 most recent trials of a set and ramp
 * linearly from {@code 1/n} for older ones; PRUNED trials count as worse than every COMPLETE one
 * (among themselves, the one that got further, then the one with the better last intermediate
 * value, ranks higher; one that reported nothing ranks last, as in Optuna 3.1's
 * {@code _get_observation_pairs}, which scores it {@code (1, 0.0)} after the pruned trials'
 * {@code (-step, value)}); FAIL and RUNNING trials are ignored. A conditional parameter learns only
 * from trials where it was active, which is the "tree" of the name.
 */
public final class TpeSampler implements Sampler {
    private final int nStartupTrials;
    private final int nEiCandidates;
    private final double priorWeight;

    public TpeSampler(int nStartupTrials, int nEiCandidates, double priorWeight) {
        if (nStartupTrials < 0) throw new IllegalArgumentException("nStartupTrials must be >= 0, got " + nStartupTrials);
        if (nEiCandidates < 1) throw new IllegalArgumentException("nEiCandidates must be >= 1, got " + nEiCandidates);
        if (!(priorWeight > 0)) throw new IllegalArgumentException("priorWeight must be > 0, got " + priorWeight);
        this.nStartupTrials = nStartupTrials;
        this.nEiCandidates = nEiCandidates;
        this.priorWeight = priorWeight;
    }

    /** Optuna's defaults: 10 startup trials, 24 candidates, prior weight 1. */
    public TpeSampler() {
        this(10, 24, 1.0);
    }

    /** Size of the good set: {@code min(ceil(0.1 n), 25)}. */
    static int gamma(int n) {
        return Math.min((int) Math.ceil(0.1 * n), 25);
    }

    /** Observation weights oldest first: 1 for the newest 25, a ramp from 1/n to 1 before them. */
    static double[] weights(int n) {
        double[] w = new double[n];
        int ramp = Math.max(0, n - 25);
        for (int i = 0; i < n; i++)
            w[i] = i >= ramp ? 1.0 : (ramp == 1 ? 1.0 / n : 1.0 / n + (1.0 - 1.0 / n) * i / (ramp - 1));
        return w;
    }

    @Override
    public Map<String, Object> sample(SearchSpace space, List<FrozenTrial> history, Direction direction, SplittableRandom rng) {
        List<FrozenTrial> finished = new ArrayList<>();
        for (FrozenTrial t : history)
            if (t.state() == TrialState.COMPLETE || t.state() == TrialState.PRUNED) finished.add(t);
        if (finished.size() < nStartupTrials) return new RandomSampler().sample(space, history, direction, rng);

        finished.sort(ranking(direction));
        int nGood = gamma(finished.size());
        List<FrozenTrial> good = byNumber(finished.subList(0, nGood));
        List<FrozenTrial> bad = byNumber(finished.subList(nGood, finished.size()));

        Map<String, Object> drawn = new LinkedHashMap<>();
        for (Parameter p : space.parameters())
            if (SearchSpace.isActive(p, drawn)) drawn.put(p.name(), sampleOne(p, good, bad, rng));
        return drawn;
    }

    private static List<FrozenTrial> byNumber(List<FrozenTrial> trials) {
        List<FrozenTrial> out = new ArrayList<>(trials);
        out.sort(Comparator.comparingInt(FrozenTrial::number));
        return out;
    }

    /**
     * Best first: COMPLETE by loss, then PRUNED by step reached (further first; none reported is
     * step -1, so last) and last intermediate value (NaN last). Ties keep the history's order (the
     * sort is stable). A pruned trial's intermediate value is used, not its value, as in Optuna,
     * though they agree for trials pruned by {@link Study#tellPruned}.
     */
    private static Comparator<FrozenTrial> ranking(Direction direction) {
        return (a, b) -> {
            boolean ca = a.state() == TrialState.COMPLETE, cb = b.state() == TrialState.COMPLETE;
            if (ca != cb) return ca ? -1 : 1;
            if (ca) return Double.compare(direction.asLoss(a.value()), direction.asLoss(b.value()));
            if (a.lastStep() != b.lastStep()) return Integer.compare(b.lastStep(), a.lastStep());
            if (a.lastStep() < 0) return 0;
            return Double.compare(direction.asLoss(a.intermediate().get(a.lastStep())), direction.asLoss(b.intermediate().get(b.lastStep())));
        };
    }

    private Object sampleOne(Parameter p, List<FrozenTrial> good, List<FrozenTrial> bad, SplittableRandom rng) {
        return switch (p.dimension()) {
            case Dimension.Categorical c -> sampleCategorical(p.name(), c, good, bad, rng);
            case Dimension.Uniform u -> {
                double v = sampleNumeric(p.name(), u.low(), u.high(), x -> x, x -> x, good, bad, rng);
                yield Math.min(v, Math.nextDown(u.high()));
            }
            case Dimension.LogUniform l -> {
                double v = Math.exp(sampleNumeric(p.name(), Math.log(l.low()), Math.log(l.high()), Math::log, x -> x, good, bad, rng));
                yield Math.min(Math.max(v, l.low()), Math.nextDown(l.high()));
            }
            case Dimension.IntRange r -> {
                // Each integer owns a cell of width step around it (in ln for log ranges, over
                // [low - 1/2, high + 1/2]); a continuous draw is rounded to its cell's integer and
                // scored at that integer, whose density ratio stands in for the ratio of cell masses.
                DoubleUnaryOperator toInternal = r.log() ? Math::log : x -> x;
                DoubleUnaryOperator toInt = x -> {
                    double v = r.log() ? Math.exp(x) : x;
                    long k = Math.round((v - r.low()) / r.step());
                    return Math.max(r.low(), Math.min(r.top(), r.low() + k * r.step()));
                };
                double lo = r.log() ? Math.log(r.low() - 0.5) : r.low() - 0.5 * r.step();
                double hi = r.log() ? Math.log(r.top() + 0.5) : r.top() + 0.5 * r.step();
                double x = sampleNumeric(p.name(), lo, hi, toInternal, v -> toInternal.applyAsDouble(toInt.applyAsDouble(v)), good, bad, rng);
                yield (int) toInt.applyAsDouble(x);
            }
        };
    }

    /**
     * Draws {@code nEiCandidates} from l over {@code [lo, hi]} (internal coordinates) and returns the
     * one maximizing {@code log l - log g}, each scored at {@code snap(x)} (identity for doubles).
     */
    private double sampleNumeric(String name, double lo, double hi, DoubleUnaryOperator toInternal, DoubleUnaryOperator snap,
                                 List<FrozenTrial> good, List<FrozenTrial> bad, SplittableRandom rng) {
        ParzenEstimator l = numericEstimator(name, good, lo, hi, toInternal);
        ParzenEstimator g = numericEstimator(name, bad, lo, hi, toInternal);
        double bestScore = Double.NEGATIVE_INFINITY, best = Double.NaN;
        for (int i = 0; i < nEiCandidates; i++) {
            double x = l.sample(rng);
            double at = snap.applyAsDouble(x);
            double score = l.logDensity(at) - g.logDensity(at);
            if (Double.isNaN(best) || score > bestScore) {
                bestScore = score;
                best = x;
            }
        }
        return best;
    }

    private ParzenEstimator numericEstimator(String name, List<FrozenTrial> trials, double lo, double hi, DoubleUnaryOperator toInternal) {
        List<Double> xs = new ArrayList<>();
        for (FrozenTrial t : trials)
            if (t.params().values().get(name) instanceof Number n) xs.add(toInternal.applyAsDouble(n.doubleValue()));
        double[] obs = new double[xs.size()];
        for (int i = 0; i < obs.length; i++) obs[i] = Math.min(hi, Math.max(lo, xs.get(i)));
        return new ParzenEstimator(obs, weights(obs.length), lo, hi, priorWeight);
    }

    private Object sampleCategorical(String name, Dimension.Categorical c, List<FrozenTrial> good, List<FrozenTrial> bad, SplittableRandom rng) {
        CategoricalEstimator l = categoricalEstimator(name, c, good), g = categoricalEstimator(name, c, bad);
        double bestScore = Double.NEGATIVE_INFINITY;
        int best = -1;
        for (int i = 0; i < nEiCandidates; i++) {
            int k = l.sample(rng);
            double score = l.logProbability(k) - g.logProbability(k);
            if (best < 0 || score > bestScore) {
                bestScore = score;
                best = k;
            }
        }
        return c.choices().get(best);
    }

    private CategoricalEstimator categoricalEstimator(String name, Dimension.Categorical c, List<FrozenTrial> trials) {
        List<Integer> idx = new ArrayList<>();
        for (FrozenTrial t : trials) {
            Object v = t.params().values().get(name);
            // A value not among today's choices (an edited space) carries no information here.
            if (v != null && c.indexOf(v) >= 0) idx.add(c.indexOf(v));
        }
        int[] obs = idx.stream().mapToInt(Integer::intValue).toArray();
        return new CategoricalEstimator(obs, weights(obs.length), c.choices().size(), priorWeight);
    }
}
