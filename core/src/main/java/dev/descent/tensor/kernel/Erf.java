package dev.descent.tensor.kernel;

/**
 * The error function erf(x) = 2/sqrt(pi) * integral from 0 to x of e^(-t^2) dt, to about 1e-15
 * relative, which the JDK lacks. Below |x| = 2.5 the Maclaurin series
 * erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1)) converges quickly; above it,
 * erfc(x) = e^(-x^2)/sqrt(pi) * K(x) with K evaluated as the continued fraction
 * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))) (Abramowitz and Stegun 7.1.14), by the modified
 * Lentz algorithm.
 */
public final class Erf {
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double ONE_OVER_SQRT_PI = 0.5641895835477563;

    private Erf() {}

    public static double erf(double x) {
        if (Double.isNaN(x)) return x;
        double a = Math.abs(x);
        double r;
        if (a < 2.5) {
            double x2 = a * a, term = a, sum = a;
            for (int n = 1; n < 200; n++) {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
            }
            r = TWO_OVER_SQRT_PI * sum;
        } else if (a > 6.0) {
            r = 1.0;
        } else {
            r = 1.0 - erfcContinuedFraction(a);
        }
        return x < 0 ? -r : r;
    }

    /** erfc(x) for x >= 2.5 by the continued fraction for sqrt(pi) e^(x^2) erfc(x). */
    private static double erfcContinuedFraction(double x) {
        final double tiny = 1e-300;
        double f = x, c = x, dd = 0.0;
        for (int n = 1; n < 300; n++) {
            double an = n / 2.0;
            dd = x + an * dd;
            if (dd == 0) dd = tiny;
            c = x + an / c;
            if (c == 0) c = tiny;
            dd = 1.0 / dd;
            double delta = c * dd;
            f *= delta;
            if (Math.abs(delta - 1.0) < 1e-16) break;
        }
        return Math.exp(-x * x) * ONE_OVER_SQRT_PI / f;
    }
}
