package dev.descent.search;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Grows a CART regression tree (Breiman et al. 1984) as scikit-learn's {@code DecisionTreeRegressor}
 * does with the settings Optuna's fANOVA uses: squared error, every feature tried at every node (in
 * a random order, so ties between features break at random), best split only, grown until a node
 * is pure, smaller than {@code minSamplesSplit}, at {@code maxDepth}, or has no valid split.
 *
 * <p>A split of {@code n} samples into {@code L} and {@code R} is scored by how much it lowers the
 * sum of squared errors, which up to a constant is
 * <pre>
 * score = S_L^2 / n_L + S_R^2 / n_R        (S = sum of y on each side)
 * </pre>
 * Numeric features try a threshold halfway between each pair of neighbouring distinct values.
 * Categorical features sort the categories present in the node by their mean y and try each
 * prefix as the left set: for squared error the best of all {@code 2^(k-1)} subsets is among
 * these {@code k-1} (Breiman et al. 1984, Fisher 1958). Categories absent from the node go with
 * the side that holds more samples, the best guess the node has for them.
 */
final class RegressionTreeFitter {
    private final double[][] x;
    private final double[] y;
    private final List<Feature> features;
    private final int[][] rank;
    private final int maxDepth, minSamplesSplit, minSamplesLeaf;
    private final SplittableRandom rng;
    private final RegressionTree tree = new RegressionTree();

    // The best split found so far at the current node.
    private double bestScore;
    private int bestFeature;
    private double bestThreshold;
    private BitSet bestLeftSet;

    private RegressionTreeFitter(double[][] x, double[] y, List<Feature> features, int[][] rank, int maxDepth, int minSamplesSplit,
                                 int minSamplesLeaf, SplittableRandom rng) {
        this.x = x;
        this.y = y;
        this.features = features;
        this.rank = rank;
        this.maxDepth = maxDepth;
        this.minSamplesSplit = minSamplesSplit;
        this.minSamplesLeaf = minSamplesLeaf;
        this.rng = rng;
    }

    /**
     * Fits a tree to the samples {@code rows} (indices into x and y; repeats allowed, as a bootstrap
     * sample has them).
     *
     * @param rank {@link #ranks} of x, for sorting numeric columns quickly
     */
    static RegressionTree fit(double[][] x, double[] y, int[] rows, List<Feature> features, int[][] rank, int maxDepth,
                              int minSamplesSplit, int minSamplesLeaf, SplittableRandom rng) {
        RegressionTreeFitter f = new RegressionTreeFitter(x, y, features, rank, maxDepth, minSamplesSplit, minSamplesLeaf, rng);
        f.grow(rows.clone(), 0, rows.length, 0);
        return f.tree;
    }

    /**
     * For each numeric column, each sample's rank among the column's distinct values (equal values,
     * equal rank), so that a node sorts its samples by sorting longs {@code rank << 32 | row}.
     */
    static int[][] ranks(double[][] x, List<Feature> features) {
        int[][] rank = new int[features.size()][];
        for (int f = 0; f < features.size(); f++) {
            if (features.get(f).isCategorical()) continue;
            double[] distinct = new double[x.length];
            for (int i = 0; i < x.length; i++) distinct[i] = x[i][f];
            Arrays.sort(distinct);
            rank[f] = new int[x.length];
            for (int i = 0; i < x.length; i++) rank[f][i] = Arrays.binarySearch(distinct, x[i][f]);
        }
        return rank;
    }

    /** Builds the subtree of the samples {@code rows[from, to)} and returns its node. */
    private int grow(int[] rows, int from, int to, int depth) {
        int node = tree.newNode();
        int n = to - from;
        double sum = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (int k = from; k < to; k++) {
            double v = y[rows[k]];
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double mean = sum / n;
        if (n < minSamplesSplit || depth >= maxDepth || min == max || !findSplit(rows, from, to, sum)) {
            tree.leaf(node, mean);
            return node;
        }
        int f = bestFeature;
        double t = bestThreshold;
        BitSet leftSet = bestLeftSet;
        int mid = partition(rows, from, to, f, t, leftSet);
        int l = grow(rows, from, mid, depth + 1);
        int r = grow(rows, mid, to, depth + 1);
        if (leftSet != null) tree.split(node, f, leftSet, l, r);
        else tree.split(node, f, t, l, r);
        return node;
    }

    /** Searches every feature, in random order; leaves the best split in the best* fields. */
    private boolean findSplit(int[] rows, int from, int to, double sum) {
        bestScore = Double.NEGATIVE_INFINITY;
        bestFeature = -1;
        bestLeftSet = null;
        int[] order = new int[features.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        for (int f : order) {
            if (features.get(f).isCategorical()) categoricalSplit(rows, from, to, sum, f);
            else numericSplit(rows, from, to, sum, f);
        }
        return bestFeature >= 0;
    }

    private void numericSplit(int[] rows, int from, int to, double sum, int f) {
        int n = to - from;
        long[] keys = new long[n];
        for (int k = 0; k < n; k++) keys[k] = (long) rank[f][rows[from + k]] << 32 | rows[from + k];
        Arrays.sort(keys);
        double leftSum = 0;
        for (int k = 0; k < n - 1; k++) {
            leftSum += y[(int) keys[k]];
            if (keys[k] >>> 32 == keys[k + 1] >>> 32) continue;   // same value: no threshold between them
            int nl = k + 1, nr = n - nl;
            if (nl < minSamplesLeaf || nr < minSamplesLeaf) continue;
            double rightSum = sum - leftSum;
            double score = leftSum * leftSum / nl + rightSum * rightSum / nr;
            if (score > bestScore) {
                double a = x[(int) keys[k]][f], b = x[(int) keys[k + 1]][f];
                double t = a / 2 + b / 2;
                // a and b adjacent doubles: the midpoint rounds to b, which must still go right.
                if (t >= b) t = a;
                bestScore = score;
                bestFeature = f;
                bestThreshold = t;
                bestLeftSet = null;
            }
        }
    }

    private void categoricalSplit(int[] rows, int from, int to, double sum, int f) {
        int k = features.get(f).categories();
        int[] count = new int[k];
        double[] catSum = new double[k];
        for (int i = from; i < to; i++) {
            int c = (int) x[rows[i]][f];
            count[c]++;
            catSum[c] += y[rows[i]];
        }
        Integer[] present = java.util.stream.IntStream.range(0, k).filter(c -> count[c] > 0).boxed().toArray(Integer[]::new);
        if (present.length < 2) return;
        Arrays.sort(present, (p, q) -> Double.compare(catSum[p] / count[p], catSum[q] / count[q]));
        int n = to - from, nl = 0;
        double leftSum = 0;
        for (int j = 0; j < present.length - 1; j++) {
            nl += count[present[j]];
            leftSum += catSum[present[j]];
            int nr = n - nl;
            if (nl < minSamplesLeaf || nr < minSamplesLeaf) continue;
            double rightSum = sum - leftSum;
            double score = leftSum * leftSum / nl + rightSum * rightSum / nr;
            if (score > bestScore) {
                BitSet leftSet = new BitSet(k);
                for (int i = 0; i <= j; i++) leftSet.set(present[i]);
                if (nl >= nr) for (int c = 0; c < k; c++) if (count[c] == 0) leftSet.set(c);
                bestScore = score;
                bestFeature = f;
                bestLeftSet = leftSet;
            }
        }
    }

    /** Moves the samples going left to the front of {@code rows[from, to)}; returns where the right ones start. */
    private int partition(int[] rows, int from, int to, int f, double t, BitSet leftSet) {
        int i = from, j = to - 1;
        while (i <= j) {
            double v = x[rows[i]][f];
            boolean left = leftSet != null ? leftSet.get((int) v) : v <= t;
            if (left) i++;
            else {
                int tmp = rows[i];
                rows[i] = rows[j];
                rows[j--] = tmp;
            }
        }
        return i;
    }
}
