package dev.descent.search;

import java.util.SplittableRandom;

/**
 * TPE's density over a categorical dimension, smoothed as Optuna's Parzen estimator does: a
 * mixture of one kernel per observation (weight w_i) and one uniform prior kernel (weight
 * {@code priorWeight}). Observation i's kernel puts 1 on its own choice plus v = priorWeight /
 * (n + 1) on every choice, normalized:
 * <pre>
 * p(c) = ( sum_i w_i ([x_i = c] + v) / (1 + K v)  +  priorWeight / K ) / ( sum_i w_i + priorWeight )
 * </pre>
 * Smoothing each observation (rather than only adding one prior of total weight priorWeight)
 * keeps unobserved choices noticeably likely while few trials are in: with six observations of
 * weight 1 all on one choice of three and prior weight 1, each other choice keeps probability
 * 2/15 = 0.133 instead of 1/21 = 0.048, and far fewer studies stay stuck on a wrong choice (bench/samplers.md measured 18 of 60 seeds stuck after
 * 100 trials before this rule, 3 after).
 */
final class CategoricalEstimator {
    private final double[] p;

    CategoricalEstimator(int[] observations, double[] weights, int choices, double priorWeight) {
        p = new double[choices];
        int n = observations.length;
        double v = priorWeight / (n + 1);
        double kernelNorm = 1 + choices * v;
        double total = priorWeight;
        for (int c = 0; c < choices; c++) p[c] = priorWeight / choices;
        for (int i = 0; i < n; i++) {
            double w = weights[i];
            for (int c = 0; c < choices; c++) p[c] += w * v / kernelNorm;
            p[observations[i]] += w / kernelNorm;
            total += w;
        }
        for (int c = 0; c < choices; c++) p[c] /= total;
    }

    int sample(SplittableRandom rng) {
        double u = rng.nextDouble(), acc = 0;
        for (int c = 0; c < p.length; c++) {
            acc += p[c];
            if (u < acc) return c;
        }
        return p.length - 1;
    }

    double logProbability(int c) {
        return Math.log(p[c]);
    }
}
