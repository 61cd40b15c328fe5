package dev.descent.search;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * TPE's density over one numeric dimension (in its internal, possibly log, coordinate): a mixture
 * of Gaussians truncated to {@code [low, high]}, one per observation plus a prior kernel.
 *
 * <p>With observations {@code x_1..x_n} and weights {@code w_i}, the density is
 * {@code p(x) = sum_k w_k N(x; mu_k, s_k) / Z_k / sum_k w_k} where {@code Z_k} is the kernel's mass
 * inside the bounds. The prior kernel has {@code mu = (low+high)/2}, {@code s = high-low} and weight
 * 1 (Optuna's {@code prior_weight}); it keeps the estimator defined with few or no observations.
 * Bandwidths follow Bergstra et al. (2011) as Optuna implements them: each kernel's {@code s} is the
 * larger gap to its neighbours among the sorted centres (the outermost use their one inner gap),
 * then the "magic clip" bounds it to {@code [(high-low)/min(100, 1+n_kernels), high-low]} so that no
 * kernel collapses onto a point.
 */
final class ParzenEstimator {
    private final double low, high;
    private final double[] mus, sigmas, logWeights, logMass;

    ParzenEstimator(double[] observations, double[] weights, double low, double high, double priorWeight) {
        this.low = low;
        this.high = high;
        int n = observations.length, k = n + 1;
        double range = high - low;
        mus = new double[k];
        double[] w = new double[k];
        System.arraycopy(observations, 0, mus, 0, n);
        System.arraycopy(weights, 0, w, 0, n);
        mus[n] = 0.5 * (low + high);
        w[n] = priorWeight;

        Integer[] order = new Integer[k];
        for (int i = 0; i < k; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(mus[a], mus[b]));
        sigmas = new double[k];
        for (int r = 0; r < k; r++) {
            double left = mus[order[r]] - (r == 0 ? low : mus[order[r - 1]]);
            double right = (r == k - 1 ? high : mus[order[r + 1]]) - mus[order[r]];
            double s = Math.max(left, right);
            // Optuna's consider_endpoints=False: the outermost kernels look inward only.
            if (k >= 2 && r == 0) s = right;
            if (k >= 2 && r == k - 1) s = left;
            sigmas[order[r]] = s;
        }
        double minSigma = range / Math.min(100.0, 1.0 + k);
        for (int i = 0; i < k; i++) sigmas[i] = Math.min(Math.max(sigmas[i], minSigma), range);
        sigmas[n] = range;

        double total = 0;
        for (double v : w) total += v;
        logWeights = new double[k];
        logMass = new double[k];
        for (int i = 0; i < k; i++) {
            logWeights[i] = Math.log(w[i] / total);
            double mass = Gaussian.cdf((high - mus[i]) / sigmas[i]) - Gaussian.cdf((low - mus[i]) / sigmas[i]);
            logMass[i] = Math.log(Math.max(mass, 1e-300));
        }
    }

    /** A draw: pick a kernel by weight, then rejection-sample it inside the bounds. */
    double sample(SplittableRandom rng) {
        double u = rng.nextDouble(), acc = 0;
        int j = mus.length - 1;
        for (int i = 0; i < mus.length; i++) {
            acc += Math.exp(logWeights[i]);
            if (u < acc) {
                j = i;
                break;
            }
        }
        // Every centre lies inside the bounds and s <= high-low, so each try lands inside with
        // probability above 1/3; the cap only guards against a pathological bandwidth.
        for (int tries = 0; tries < 1000; tries++) {
            double x = mus[j] + sigmas[j] * rng.nextGaussian();
            if (x >= low && x <= high) return x;
        }
        return Math.min(high, Math.max(low, mus[j]));
    }

    double logDensity(double x) {
        double max = Double.NEGATIVE_INFINITY;
        double[] terms = new double[mus.length];
        for (int i = 0; i < mus.length; i++) {
            double z = (x - mus[i]) / sigmas[i];
            terms[i] = logWeights[i] + Gaussian.logPdf(z) - Math.log(sigmas[i]) - logMass[i];
            max = Math.max(max, terms[i]);
        }
        double sum = 0;
        for (double t : terms) sum += Math.exp(t - max);
        return max + Math.log(sum);
    }
}
