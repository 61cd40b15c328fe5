package dev.descent.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The variance decomposition of hand-built trees, against values worked out on paper. The
 * tolerance 1e-12 only absorbs rounding: every quantity is a short sum of exact fractions.
 */
class TreeMarginalsTest {
    private static final double EXACT = 1e-12;
    private static final List<Feature> XY = List.of(Feature.numeric("x", 0, 1), Feature.numeric("y", 0, 1));

    /** f = 1 when x > 0.25, else 0: leaves of volume 1/4 and 3/4. */
    @Test
    void oneSplitIsAllOfTheVarianceWeightedByVolume() {
        RegressionTree t = new RegressionTree();
        int root = t.newNode(), l = t.newNode(), r = t.newNode();
        t.split(root, 0, 0.25, l, r);
        t.leaf(l, 0);
        t.leaf(r, 1);
        TreeMarginals m = new TreeMarginals(t, XY);
        assertEquals(0.75, m.mean(), EXACT);
        assertEquals(0.75 * 0.25, m.variance(), EXACT);   // Bernoulli(3/4)
        assertEquals(m.variance(), m.marginalVariance(0), EXACT);
        assertEquals(0, m.marginalVariance(1), EXACT);
    }

    /**
     * f = 1 when x > 0.25 and y > 0.5: mean 3/8, variance 3/8 - 9/64 = 15/64. Marginal of x: 0 on
     * x < 1/4, 1/2 above, so V_x = 1/4 (3/8)^2 + 3/4 (1/8)^2 = 3/64; of y: 0 below 1/2, 3/4 above,
     * V_y = 1/2 (3/8)^2 + 1/2 (3/8)^2 = 9/64; the interaction keeps the remaining 3/64.
     */
    @Test
    void anInteractionLeavesVarianceToNeitherMainEffect() {
        RegressionTree t = new RegressionTree();
        int root = t.newNode(), low = t.newNode(), high = t.newNode(), bottom = t.newNode(), top = t.newNode();
        t.split(root, 0, 0.25, low, high);
        t.leaf(low, 0);
        t.split(high, 1, 0.5, bottom, top);
        t.leaf(bottom, 0);
        t.leaf(top, 1);
        TreeMarginals m = new TreeMarginals(t, XY);
        assertEquals(3 / 8.0, m.mean(), EXACT);
        assertEquals(15 / 64.0, m.variance(), EXACT);
        assertEquals(3 / 64.0, m.marginalVariance(0), EXACT);
        assertEquals(9 / 64.0, m.marginalVariance(1), EXACT);
    }

    /**
     * Bounds other than [0, 1] and a repeated split: x on [-1, 3] cut at 0 then at 2 gives cells
     * of widths 1, 2, 1 with values 4, 0, 8: mean (4 + 8) / 4 = 3, variance (1 + 2*9 + 25) / 4 = 11.
     */
    @Test
    void cellsAreWeightedByTheirShareOfTheBounds() {
        RegressionTree t = new RegressionTree();
        int root = t.newNode(), a = t.newNode(), rest = t.newNode(), b = t.newNode(), c = t.newNode();
        t.split(root, 0, 0.0, a, rest);
        t.leaf(a, 4);
        t.split(rest, 0, 2.0, b, c);
        t.leaf(b, 0);
        t.leaf(c, 8);
        TreeMarginals m = new TreeMarginals(t, List.of(Feature.numeric("x", -1, 3)));
        assertEquals(3, m.mean(), EXACT);
        assertEquals(11, m.variance(), EXACT);
        assertEquals(11, m.marginalVariance(0), EXACT);
    }

    /**
     * A categorical split of 3 categories, {0} left (value 0) and {1, 2} right, under a split on u
     * at 0.5 whose right half is 6 everywhere: each category has probability 1/3, so the
     * category's marginal is 3 for category 0 and 4.5 otherwise (the average of the u halves),
     * mean 4, V_c = 1/3 + 2/3 * 1/4 = 1/2; u's marginal is 2 or 6, V_u = 4; total variance
     * E f^2 - 16 = (1/2)(2/3 * 9) + (1/2)(36) - 16 = 5; interaction 1/2.
     */
    @Test
    void categoriesCountEquallyAndSubsetsSplitThem() {
        RegressionTree t = new RegressionTree();
        int root = t.newNode(), left = t.newNode(), right = t.newNode(), zero = t.newNode(), three = t.newNode();
        t.split(root, 1, 0.5, left, right);
        BitSet first = new BitSet();
        first.set(0);
        t.split(left, 0, first, zero, three);
        t.leaf(zero, 0);
        t.leaf(three, 3);
        t.leaf(right, 6);
        TreeMarginals m = new TreeMarginals(t, List.of(Feature.categorical("c", 3), Feature.numeric("u", 0, 1)));
        assertEquals(4, m.mean(), EXACT);
        assertEquals(5, m.variance(), EXACT);
        assertEquals(0.5, m.marginalVariance(0), EXACT);
        assertEquals(4, m.marginalVariance(1), EXACT);
    }
}
