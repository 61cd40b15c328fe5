package dev.descent.search;

import static dev.descent.search.Dimension.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TpeSamplerTest {
    // A shifted sphere over four mixed dimensions; the minimum 0 sits at x = 1.5, lr = 1e-3,
    // units = 40, act = "gelu". Each term is O(1) over its range, so no dimension dominates.
    static final SearchSpace SPACE = SearchSpace.of(
            Parameter.of("x", uniform(-5, 5)),
            Parameter.of("lr", logUniform(1e-6, 1)),
            Parameter.of("units", intRange(1, 128)),
            Parameter.of("act", categorical("relu", "tanh", "gelu", "sigmoid")));

    static double sphere(Params p) {
        double x = p.getDouble("x") - 1.5;
        double lr = Math.log10(p.getDouble("lr")) + 3;
        double u = (p.getInt("units") - 40) / 20.0;
        double act = p.getString("act").equals("gelu") ? 0 : 1;
        return x * x + lr * lr + u * u + act;
    }

    static double bestOf(Sampler sampler, long seed, int n) {
        var study = Study.create(SPACE, Direction.MINIMIZE, sampler, Pruner.none(), seed);
        study.optimize(t -> sphere(t.params()), n, null, 1);
        return study.bestTrial().orElseThrow().value();
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }

    @Test
    void tpeBeatsRandomSearchInTheMedianOverTenSeeds() {
        // Acceptance criterion of issue 5: median best-of-60 over 10 seeds, TPE below random.
        double[] tpe = new double[10], random = new double[10];
        for (int s = 0; s < 10; s++) {
            tpe[s] = bestOf(new TpeSampler(), 1000 + s, 60);
            random[s] = bestOf(new RandomSampler(), 1000 + s, 60);
        }
        double mt = median(tpe), mr = median(random);
        System.out.printf("TPE vs random, best of 60 trials over 10 seeds: median TPE %.4f, median random %.4f%n", mt, mr);
        System.out.println("TPE    " + Arrays.toString(tpe));
        System.out.println("random " + Arrays.toString(random));
        assertTrue(mt < mr, "median TPE " + mt + " should beat median random " + mr);
    }

    @Test
    void sequentialTpeStudyIsReproducible() {
        var a = Study.create(SPACE, Direction.MINIMIZE, new TpeSampler(), Pruner.none(), 9);
        var b = Study.create(SPACE, Direction.MINIMIZE, new TpeSampler(), Pruner.none(), 9);
        a.optimize(t -> sphere(t.params()), 25, null, 1);
        b.optimize(t -> sphere(t.params()), 25, null, 1);
        assertEquals(a.trials(), b.trials());
    }

    @Test
    void tpeSamplesStayInBoundsAndMaximizeWorks() {
        // Maximizing -sphere must concentrate near the same optimum as minimizing sphere.
        var study = Study.create(SPACE, Direction.MAXIMIZE, new TpeSampler(), Pruner.none(), 4);
        study.optimize(t -> -sphere(t.params()), 60, null, 1);
        for (var t : study.trials()) {
            Params p = t.params();
            assertTrue(p.getDouble("x") >= -5 && p.getDouble("x") < 5);
            assertTrue(p.getDouble("lr") >= 1e-6 && p.getDouble("lr") < 1);
            assertTrue(p.getInt("units") >= 1 && p.getInt("units") <= 128);
        }
        assertTrue(study.bestTrial().orElseThrow().value() > -2.0, "best " + study.bestTrial());
    }

    @Test
    void conditionalParametersLearnOnlyWhereActive() {
        var space = SearchSpace.of(Parameter.of("opt", categorical("sgd", "adam")),
                Parameter.of("momentum", uniform(0, 1), Condition.when("opt", "sgd")),
                Parameter.of("beta", uniform(0, 1), Condition.when("opt", "adam")));
        // adam with beta near 0.9 is best; TPE should propose mostly adam and never mix the branches.
        var study = Study.create(space, Direction.MINIMIZE, new TpeSampler(), Pruner.none(), 2);
        study.optimize(t -> t.params().getString("opt").equals("adam") ? Math.abs(t.params().getDouble("beta") - 0.9)
                : 1 + t.params().getDouble("momentum"), 50, null, 1);
        int adamLate = 0;
        for (var t : study.trials()) {
            boolean adam = t.params().getString("opt").equals("adam");
            assertEquals(adam, t.params().has("beta"));
            assertEquals(!adam, t.params().has("momentum"));
            if (t.number() >= 30 && adam) adamLate++;
        }
        assertTrue(adamLate >= 15, "TPE chose adam in only " + adamLate + " of the last 20 trials");
    }

    /**
     * Optuna 3.1 counts a PRUNED trial that reported nothing as an observation ranked below every
     * pruned trial that reported (score (1, 0.0) after (-step, value)). Ten finished trials reach
     * the 10 startup trials, so TPE models them: gamma(10) = 1 puts the one trial that reported
     * ("a") alone in the good set, the nine silent ones ("b", "c") in the bad set, so every
     * candidate's score favours "a". Were the silent ones ignored, one finished trial would leave
     * TPE sampling at random, and about a third of the seeds would give "b" or "c"; were they
     * ranked first, a silent one would be the good set.
     */
    @Test
    void prunedTrialsThatReportedNothingRankLast() {
        var space = SearchSpace.of(Parameter.of("c", categorical("a", "b", "c")));
        var history = new java.util.ArrayList<FrozenTrial>();
        for (int i = 0; i < 9; i++)
            history.add(new FrozenTrial(i, new Params(java.util.Map.of("c", i % 2 == 0 ? "b" : "c")), TrialState.PRUNED, null, new java.util.TreeMap<>(), null));
        var reported = new java.util.TreeMap<Integer, Double>(java.util.Map.of(0, 5.0));
        history.add(new FrozenTrial(9, new Params(java.util.Map.of("c", "a")), TrialState.PRUNED, 5.0, reported, null));
        var tpe = new TpeSampler();
        for (long seed = 0; seed < 30; seed++)
            assertEquals("a", tpe.sample(space, history, Direction.MINIMIZE, new SplittableRandom(seed)).get("c"), "seed " + seed);
    }

    @Test
    void parzenEstimatorIsANormalizedDensity() {
        var pe = new ParzenEstimator(new double[] {0.2, 0.25, 0.9}, TpeSampler.weights(3), 0, 1, 1.0);
        int n = 20000;
        double integral = 0;
        for (int i = 0; i < n; i++) integral += Math.exp(pe.logDensity((i + 0.5) / n)) / n;
        assertEquals(1.0, integral, 1e-4);
        var rng = new SplittableRandom(1);
        for (int i = 0; i < 1000; i++) {
            double x = pe.sample(rng);
            assertTrue(x >= 0 && x <= 1);
        }
    }

    @Test
    void gammaAndWeightsFollowOptuna() {
        assertEquals(1, TpeSampler.gamma(1));
        assertEquals(1, TpeSampler.gamma(10));
        assertEquals(2, TpeSampler.gamma(11));
        assertEquals(25, TpeSampler.gamma(1000));
        assertArrayEquals(new double[] {1, 1, 1}, TpeSampler.weights(3));
        double[] w = TpeSampler.weights(30);
        assertEquals(1.0 / 30, w[0], 1e-12);
        assertEquals(1.0, w[4], 1e-12);
        assertEquals(1.0, w[29], 1e-12);
        assertTrue(w[1] > w[0] && w[2] > w[1]);
        assertEquals(0.5, Gaussian.cdf(0), 1e-7);
        assertEquals(0.975, Gaussian.cdf(1.959964), 1e-6);
    }
}
