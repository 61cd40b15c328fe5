package dev.descent.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The categorical density on a case worked out by hand. */
class CategoricalEstimatorTest {
    @Test
    void smoothsEachObservationAsOptunaDoes() {
        // six observations of weight 1 on choice 0 of 3, prior weight 1: v = 1/7, kernel norm 10/7.
        // Each observation gives (v / norm) = 0.1 to every choice and 1/norm = 0.7 more to its own;
        // the prior gives 1/3 to each. p(1) = (1/3 + 6 * 0.1) / 7 = 2/15; p(0) = (1/3 + 6 * 0.8) / 7 = 11/15.
        CategoricalEstimator e = new CategoricalEstimator(new int[] {0, 0, 0, 0, 0, 0}, new double[] {1, 1, 1, 1, 1, 1}, 3, 1.0);
        assertEquals(2.0 / 15, Math.exp(e.logProbability(1)), 1e-12);
        assertEquals(2.0 / 15, Math.exp(e.logProbability(2)), 1e-12);
        assertEquals(11.0 / 15, Math.exp(e.logProbability(0)), 1e-12);
    }

    @Test
    void withoutObservationsItIsThePrior() {
        CategoricalEstimator e = new CategoricalEstimator(new int[0], new double[0], 4, 1.0);
        for (int c = 0; c < 4; c++) assertEquals(0.25, Math.exp(e.logProbability(c)), 1e-12);
    }
}
