package dev.descent.search;

import static org.junit.jupiter.api.Assertions.*;

import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RegressionTreeFitterTest {
    private static RegressionTree fit(double[][] x, double[] y, List<Feature> features, int maxDepth) {
        int[] rows = new int[x.length];
        for (int i = 0; i < rows.length; i++) rows[i] = i;
        return RegressionTreeFitter.fit(x, y, rows, features, RegressionTreeFitter.ranks(x, features), maxDepth, 2, 1, new SplittableRandom(0));
    }

    /** Grown until pure, a tree reproduces its training targets wherever the inputs differ. */
    @Test
    void aFullyGrownTreeInterpolatesItsTrainingData() {
        SplittableRandom rng = new SplittableRandom(9);
        double[][] x = new double[50][2];
        double[] y = new double[50];
        for (int i = 0; i < 50; i++) {
            x[i][0] = rng.nextDouble();
            x[i][1] = rng.nextDouble();
            y[i] = Math.sin(7 * x[i][0]) + x[i][1] * x[i][1];
        }
        RegressionTree t = fit(x, y, List.of(Feature.numeric("a", 0, 1), Feature.numeric("b", 0, 1)), 64);
        for (int i = 0; i < 50; i++) assertEquals(y[i], t.predict(x[i]), 1e-12, "sample " + i);
    }

    /** One split at the midpoint between the two groups, no more: both children are pure. */
    @Test
    void numericThresholdsLieHalfwayBetweenNeighbours() {
        double[][] x = {{0.1}, {0.2}, {0.6}, {0.9}};
        RegressionTree t = fit(x, new double[] {1, 1, 5, 5}, List.of(Feature.numeric("a", 0, 1)), 64);
        assertEquals(3, t.size());
        assertEquals(0.4, t.threshold(0), 1e-15);
    }

    /**
     * Categories 0 and 2 share one value and 1 and 3 another: the best subset split groups them
     * in one split, which no threshold on the index could. Category 4 never occurs and goes with
     * the larger side (the left has 3 samples, the right 2).
     */
    @Test
    void categoriesAreGroupedBySubsetsAndUnseenOnesJoinTheLargerSide() {
        double[][] x = {{0}, {2}, {0}, {1}, {3}};
        RegressionTree t = fit(x, new double[] {0, 0, 0, 10, 10}, List.of(Feature.categorical("c", 5)), 64);
        assertEquals(3, t.size(), "one split suffices");
        BitSet expected = new BitSet();
        expected.set(0);
        expected.set(2);
        expected.set(4);
        assertEquals(expected, t.leftCategories(0));
        assertEquals(0, t.predict(new double[] {4}), "unseen category 4 predicted as the majority side");
    }

    @Test
    void maxDepthStopsGrowth() {
        double[][] x = {{0.1}, {0.2}, {0.6}, {0.9}};
        RegressionTree stump = fit(x, new double[] {1, 2, 5, 6}, List.of(Feature.numeric("a", 0, 1)), 1);
        assertEquals(3, stump.size());
        assertEquals(1.5, stump.predict(new double[] {0.0}), 1e-15);
        assertEquals(5.5, stump.predict(new double[] {1.0}), 1e-15);
    }
}
