package dev.descent.search;

import java.util.Arrays;
import java.util.BitSet;

/**
 * A binary regression tree over {@link Feature} columns, stored as parallel node arrays (node 0 is
 * the root). An inner node sends a point left when
 * <ul>
 *   <li>numeric feature: {@code x[feature] <= threshold};
 *   <li>categorical feature: category {@code x[feature]} is in the node's left set.
 * </ul>
 * A leaf predicts its value. Splitting categories by subsets (not one-hot columns) keeps one
 * column per parameter, so the tree partitions exactly the search space fANOVA integrates over:
 * every category keeps its probability {@code 1/k}, and no "no category" or "two categories"
 * region exists.
 *
 * <p>Built by {@link RegressionTreeFitter}; tests build small trees by hand with {@link #leaf} and
 * {@link #split}.
 */
final class RegressionTree {
    private static final int LEAF = -1;

    private int size;
    private int[] feature = new int[16];
    private double[] threshold = new double[16];
    private BitSet[] leftCategories = new BitSet[16];
    private int[] left = new int[16], right = new int[16];
    private double[] value = new double[16];

    /** Reserves a node, to be made a {@link #leaf} or a {@link #split}; returns its index. */
    int newNode() {
        if (size == feature.length) {
            int n = size * 2;
            feature = Arrays.copyOf(feature, n);
            threshold = Arrays.copyOf(threshold, n);
            leftCategories = Arrays.copyOf(leftCategories, n);
            left = Arrays.copyOf(left, n);
            right = Arrays.copyOf(right, n);
            value = Arrays.copyOf(value, n);
        }
        feature[size] = LEAF;
        return size++;
    }

    void leaf(int node, double prediction) {
        feature[node] = LEAF;
        value[node] = prediction;
    }

    /** Makes {@code node} a numeric split: {@code x[f] <= threshold} goes to {@code leftChild}. */
    void split(int node, int f, double threshold, int leftChild, int rightChild) {
        feature[node] = f;
        this.threshold[node] = threshold;
        leftCategories[node] = null;
        left[node] = leftChild;
        right[node] = rightChild;
    }

    /** Makes {@code node} a categorical split: categories in {@code leftSet} go to {@code leftChild}. */
    void split(int node, int f, BitSet leftSet, int leftChild, int rightChild) {
        feature[node] = f;
        leftCategories[node] = (BitSet) leftSet.clone();
        left[node] = leftChild;
        right[node] = rightChild;
    }

    int size() {
        return size;
    }

    boolean isLeaf(int node) {
        return feature[node] == LEAF;
    }

    int feature(int node) {
        return feature[node];
    }

    /** Whether the node splits its feature by a category subset. */
    boolean isCategorical(int node) {
        return leftCategories[node] != null;
    }

    double threshold(int node) {
        return threshold[node];
    }

    /** The categories sent left by a categorical split (do not modify). */
    BitSet leftCategories(int node) {
        return leftCategories[node];
    }

    int left(int node) {
        return left[node];
    }

    int right(int node) {
        return right[node];
    }

    double value(int node) {
        return value[node];
    }

    boolean goesLeft(int node, double x) {
        return isCategorical(node) ? leftCategories[node].get((int) x) : x <= threshold[node];
    }

    double predict(double[] x) {
        int n = 0;
        while (!isLeaf(n)) n = goesLeft(n, x[feature[n]]) ? left[n] : right[n];
        return value[n];
    }
}
