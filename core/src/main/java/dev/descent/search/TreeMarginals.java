package dev.descent.search;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * The functional ANOVA of one regression tree, computed exactly over the search space as Hutter,
 * Hoos and Leyton-Brown do ("An Efficient Approach for Assessing Hyperparameter Importance", ICML
 * 2014, section 3).
 *
 * <p>Let Θ be the box of all {@link Feature features}, with the uniform measure (a numeric
 * feature uniform on {@code [low, high]}, a categorical one uniform on its categories). The tree
 * cuts Θ into leaf boxes ℓ, each with a constant prediction {@code v_ℓ} and a volume fraction
 * {@code w_ℓ = prod_j |ℓ_j| / |Θ_j|}. Then
 * <pre>
 * f0  = sum_ℓ w_ℓ v_ℓ                           mean of the tree over Θ
 * V   = sum_ℓ w_ℓ (v_ℓ - f0)^2                  total variance
 * a_i(θ_i) = sum_{ℓ : θ_i in ℓ_i} (w_ℓ |Θ_i| / |ℓ_i|) v_ℓ     marginal of feature i (the others averaged out)
 * V_i = ∫ (a_i(θ_i) - f0)^2 dθ_i / |Θ_i|         variance of that marginal
 * </pre>
 * {@code a_i} is constant between consecutive split points of feature i anywhere in the tree (for
 * a categorical feature, on each category), so the integral is a finite sum over those cells. Each
 * leaf adds {@code (w_ℓ |Θ_i| / |ℓ_i|) v_ℓ} to the cells its interval covers; a difference array
 * does that in one pass over the leaves, so a feature costs O(nodes log nodes) rather than one
 * tree walk per cell. {@code V_i / V} is the fraction of the tree's variance that feature i
 * explains on its own; what remains of V is explained by interactions.
 */
final class TreeMarginals {
    private final RegressionTree tree;
    private final List<Feature> features;
    // The part of Θ the current node covers, updated on the way down and restored on the way up.
    private final double[] lo, hi;
    private final BitSet[] allowed;
    private final double mean, variance;

    TreeMarginals(RegressionTree tree, List<Feature> features) {
        this.tree = tree;
        this.features = features;
        int d = features.size();
        lo = new double[d];
        hi = new double[d];
        allowed = new BitSet[d];
        for (int j = 0; j < d; j++) {
            Feature f = features.get(j);
            lo[j] = f.low();
            hi[j] = f.high();
            if (f.isCategorical()) {
                allowed[j] = new BitSet(f.categories());
                allowed[j].set(0, f.categories());
            }
        }
        double[] moments = new double[2];
        leafMoments(0, 1, Double.NaN, moments);
        mean = moments[0];
        double[] spread = new double[2];
        leafMoments(0, 1, mean, spread);
        variance = spread[0];
    }

    /** f0, the tree's mean over the search space. */
    double mean() {
        return mean;
    }

    /** V, the tree's variance over the search space. */
    double variance() {
        return variance;
    }

    /**
     * Sums {@code w_ℓ v_ℓ} (when {@code center} is NaN) or {@code w_ℓ (v_ℓ - center)^2} over the
     * leaves below {@code node} into {@code acc[0]}.
     */
    private void leafMoments(int node, double weight, double center, double[] acc) {
        if (weight == 0) return;
        if (tree.isLeaf(node)) {
            double v = tree.value(node);
            acc[0] += Double.isNaN(center) ? weight * v : weight * (v - center) * (v - center);
            return;
        }
        descend(node, weight, -1, (child, w) -> leafMoments(child, w, center, acc));
    }

    /** V_i: the variance of feature {@code i}'s marginal over the search space. */
    double marginalVariance(int i) {
        Feature f = features.get(i);
        double[] cellWeight, marginal;
        if (f.isCategorical()) {
            int k = f.categories();
            cellWeight = new double[k];
            Arrays.fill(cellWeight, 1.0 / k);
            marginal = new double[k];
            categoricalMarginal(0, 1, i, marginal);
        } else {
            double[] edges = edges(i);
            int cells = edges.length - 1;
            cellWeight = new double[cells];
            for (int c = 0; c < cells; c++) cellWeight[c] = (edges[c + 1] - edges[c]) / (f.high() - f.low());
            double[] diff = new double[cells + 1];
            numericMarginal(0, 1, i, edges, diff);
            marginal = new double[cells];
            double running = 0;
            for (int c = 0; c < cells; c++) marginal[c] = running += diff[c];
        }
        double v = 0;
        for (int c = 0; c < marginal.length; c++) v += cellWeight[c] * (marginal[c] - mean) * (marginal[c] - mean);
        return v;
    }

    /** The feature's bounds and every threshold the tree splits it at inside them, sorted, distinct. */
    private double[] edges(int i) {
        Feature f = features.get(i);
        double[] t = new double[tree.size() + 2];
        int n = 0;
        t[n++] = f.low();
        t[n++] = f.high();
        for (int node = 0; node < tree.size(); node++) {
            if (!tree.isLeaf(node) && tree.feature(node) == i && tree.threshold(node) > f.low() && tree.threshold(node) < f.high()) {
                t[n++] = tree.threshold(node);
            }
        }
        return Arrays.stream(t, 0, n).sorted().distinct().toArray();
    }

    /**
     * Adds each leaf's contribution to the cells of numeric feature {@code i} its interval covers.
     * {@code weight} is the volume fraction of the node in every feature but {@code i}.
     */
    private void numericMarginal(int node, double weight, int i, double[] edges, double[] diff) {
        if (weight == 0) return;
        if (tree.isLeaf(node)) {
            int from = Arrays.binarySearch(edges, lo[i]), to = Arrays.binarySearch(edges, hi[i]);
            if (to <= from) return;   // an empty interval holds no cell
            // For θ_i in the leaf's interval, the leaf adds P(θ_-i in the leaf) v_ℓ = weight v_ℓ to a_i(θ_i).
            double v = weight * tree.value(node);
            diff[from] += v;
            diff[to] -= v;
            return;
        }
        descend(node, weight, i, (child, w) -> numericMarginal(child, w, i, edges, diff));
    }

    private void categoricalMarginal(int node, double weight, int i, double[] marginal) {
        if (weight == 0) return;
        if (tree.isLeaf(node)) {
            double v = weight * tree.value(node);
            for (int c = allowed[i].nextSetBit(0); c >= 0; c = allowed[i].nextSetBit(c + 1)) marginal[c] += v;
            return;
        }
        descend(node, weight, i, (child, w) -> categoricalMarginal(child, w, i, marginal));
    }

    private interface Visit {
        void child(int node, double weight);
    }

    /**
     * Visits both children of an inner node with the region narrowed to each, multiplying the
     * weight by the fraction of the region each child keeps, except along feature {@code exempt}
     * (-1 for none), whose extent the caller accounts for itself.
     */
    private void descend(int node, double weight, int exempt, Visit visit) {
        int j = tree.feature(node);
        if (tree.isCategorical(node)) {
            BitSet region = allowed[j];
            BitSet leftPart = (BitSet) region.clone();
            leftPart.and(tree.leftCategories(node));
            BitSet rightPart = (BitSet) region.clone();
            rightPart.andNot(tree.leftCategories(node));
            double total = region.cardinality();
            allowed[j] = leftPart;
            visit.child(tree.left(node), j == exempt ? weight : weight * leftPart.cardinality() / total);
            allowed[j] = rightPart;
            visit.child(tree.right(node), j == exempt ? weight : weight * rightPart.cardinality() / total);
            allowed[j] = region;
        } else {
            double a = lo[j], b = hi[j];
            double t = Math.max(a, Math.min(b, tree.threshold(node)));
            double leftFraction = (t - a) / (b - a);
            hi[j] = t;
            visit.child(tree.left(node), j == exempt ? (t > a ? weight : 0) : weight * leftFraction);
            hi[j] = b;
            lo[j] = t;
            visit.child(tree.right(node), j == exempt ? (b > t ? weight : 0) : weight * (1 - leftFraction));
            lo[j] = a;
        }
    }
}
