package dev.descent.search;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A random forest regressor (Breiman 2001) as scikit-learn's {@code RandomForestRegressor} builds
 * it with Optuna's fANOVA settings: each tree is a {@link RegressionTreeFitter CART tree} grown on
 * a bootstrap sample (n draws with replacement from the n samples), every feature considered at
 * every split. The forest predicts the mean of its trees.
 *
 * <p>Reproducible: tree {@code t} draws from the {@code t}-th {@link SplittableRandom#split()} of a
 * generator seeded with {@code seed}, so the same data and seed give the same trees.
 */
final class RandomForest {
    private final List<RegressionTree> trees;

    private RandomForest(List<RegressionTree> trees) {
        this.trees = List.copyOf(trees);
    }

    /**
     * @param x        one row per sample, one column per feature, values in the features' domains
     * @param y        the target of each sample
     * @param features the columns
     */
    static RandomForest fit(double[][] x, double[] y, List<Feature> features, int trees, int maxDepth, int minSamplesSplit,
                            int minSamplesLeaf, long seed) {
        if (x.length != y.length) throw new IllegalArgumentException("x has " + x.length + " rows, y has " + y.length);
        if (x.length == 0) throw new IllegalArgumentException("a forest needs at least one sample");
        int[][] rank = RegressionTreeFitter.ranks(x, features);
        SplittableRandom root = new SplittableRandom(seed);
        List<RegressionTree> out = new ArrayList<>(trees);
        for (int t = 0; t < trees; t++) {
            SplittableRandom rng = root.split();
            int[] bootstrap = new int[x.length];
            for (int i = 0; i < bootstrap.length; i++) bootstrap[i] = rng.nextInt(x.length);
            out.add(RegressionTreeFitter.fit(x, y, bootstrap, features, rank, maxDepth, minSamplesSplit, minSamplesLeaf, rng));
        }
        return new RandomForest(out);
    }

    List<RegressionTree> trees() {
        return trees;
    }

    double predict(double[] row) {
        double sum = 0;
        for (RegressionTree t : trees) sum += t.predict(row);
        return sum / trees.size();
    }
}
