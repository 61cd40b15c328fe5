package dev.descent.search;

/** Standard normal density and distribution function, which java.lang.Math lacks. */
final class Gaussian {
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

    private Gaussian() {}

    static double logPdf(double z) {
        return -0.5 * z * z - LOG_SQRT_2PI;
    }

    /** Phi(z) = erfc(-z / sqrt 2) / 2. */
    static double cdf(double z) {
        return 0.5 * erfc(-z / Math.sqrt(2));
    }

    /**
     * Complementary error function by the Chebyshev fit of Press et al., Numerical Recipes (2nd ed.,
     * section 6.2), relative error below 1.2e-7 everywhere: ample for normalizing truncated kernels,
     * whose masses are compared on a log scale.
     */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double ans = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? ans : 2.0 - ans;
    }
}
