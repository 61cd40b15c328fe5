package dev.descent.bench;

import dev.descent.search.Direction;
import dev.descent.search.FrozenTrial;
import dev.descent.search.Pruner;
import dev.descent.search.RandomSampler;
import dev.descent.search.Sampler;
import dev.descent.search.Study;
import dev.descent.search.TpeSampler;
import dev.descent.search.TrialState;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Best value found by Descent's TPE and random search after a budget of trials, per problem and
 * seed; scripts/bench-samplers.sh runs it beside Optuna's samplers on the same problems.
 *
 * <p>Run: {@code java -cp bench/target/descent-bench.jar dev.descent.bench.SamplerBench}. One line
 * per (problem, sampler, seed):
 *
 * <pre>sampler impl=descent problem=branin sampler=tpe seed=0 best_30=0.52 best_60=0.41 ms=35</pre>
 *
 * Each study runs the largest budget once, on one thread, and reports the best value after each
 * budget: neither sampler looks at the total budget, so the first 30 trials of a 60-trial study are
 * exactly a 30-trial study.
 *
 * <p>Arguments (all optional): {@code --problems mixed4,branin,hartmann6}, {@code --budgets 30,60},
 * {@code --seeds 20} (seeds 0..S-1); {@code --quick}: budgets 5 and 10, one seed (a smoke run, CI's).
 */
public final class SamplerBench {
    private SamplerBench() {}

    public static void main(String[] args) {
        List<String> problems = SamplerProblems.ALL.stream().map(SamplerProblems.Problem::name).toList();
        int[] budgets = {30, 60};
        int seeds = 20;
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--problems" -> { problems = List.of(v.split(",")); i++; }
                case "--budgets" -> { budgets = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).sorted().toArray(); i++; }
                case "--seeds" -> { seeds = Integer.parseInt(v); i++; }
                case "--quick" -> {
                    budgets = new int[] {5, 10};
                    seeds = 1;
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (expected --problems, --budgets, --seeds, --quick)");
            }
        }
        for (String name : problems) {
            var problem = SamplerProblems.byName(name);
            for (String sampler : List.of("tpe", "random"))
                for (int seed = 0; seed < seeds; seed++) run(problem, sampler, seed, budgets);
        }
    }

    private static void run(SamplerProblems.Problem problem, String samplerName, int seed, int[] budgets) {
        Sampler sampler = samplerName.equals("tpe") ? new TpeSampler() : new RandomSampler();
        long t0 = System.nanoTime();
        var study = Study.create(problem.space(), Direction.MINIMIZE, sampler, Pruner.none(), seed);
        study.optimize(t -> problem.f().applyAsDouble(t.params()), budgets[budgets.length - 1], null, 1);
        long ms = (System.nanoTime() - t0) / 1_000_000;

        List<FrozenTrial> trials = study.trials();
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "sampler impl=descent problem=%s sampler=%s seed=%d", problem.name(), samplerName, seed));
        for (int b : budgets) line.append(String.format(Locale.ROOT, " best_%d=%.6g", b, bestOfFirst(trials, b)));
        System.out.println(line.append(" ms=").append(ms));
    }

    /** Least value among the first n trials (by number) that completed. */
    private static double bestOfFirst(List<FrozenTrial> trials, int n) {
        double best = Double.POSITIVE_INFINITY;
        for (FrozenTrial t : trials)
            if (t.number() < n && t.state() == TrialState.COMPLETE) best = Math.min(best, t.value());
        return best;
    }
}
