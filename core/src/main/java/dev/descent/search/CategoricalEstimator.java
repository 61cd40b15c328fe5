package dev.descent.search;

import java.util.SplittableRandom;

/**
 * TPE's density over a categorical dimension: observed choices weighted by their observation
 * weights, smoothed by a prior of total weight {@code priorWeight} spread evenly over the
 * {@code K} choices, {@code p(c) = (sum_i w_i [x_i = c] + priorWeight / K) / (sum_i w_i + priorWeight)}.
 * The smoothing keeps every choice possible and the ratio l/g finite.
 */
final class CategoricalEstimator {
    private final double[] p;

    CategoricalEstimator(int[] observations, double[] weights, int choices, double priorWeight) {
        p = new double[choices];
        double total = priorWeight;
        for (int c = 0; c < choices; c++) p[c] = priorWeight / choices;
        for (int i = 0; i < observations.length; i++) {
            p[observations[i]] += weights[i];
            total += weights[i];
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
