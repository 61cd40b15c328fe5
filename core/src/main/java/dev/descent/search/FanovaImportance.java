package dev.descent.search;

/**
 * The fANOVA importance evaluator (Hutter, Hoos and Leyton-Brown, "An Efficient Approach for
 * Assessing Hyperparameter Importance", ICML 2014), with the defaults of Optuna's
 * {@code FanovaImportanceEvaluator}: a {@link RandomForest} of {@code trees} CART trees (64),
 * grown to {@code maxDepth} (64) with at least 2 samples to split and 1 per leaf, on bootstrap
 * samples of the completed trials.
 *
 * <p>For each tree, {@link TreeMarginals} decomposes the tree's prediction over the whole search
 * space: parameter i's importance in that tree is the fraction {@code V_i / V} of the tree's
 * variance that i's marginal explains alone (0 for a tree of variance 0). The evaluator averages
 * the fractions over the trees; {@link ParamImportances} then normalizes them to sum to 1.
 *
 * @param trees    number of trees, at least 1
 * @param maxDepth maximum depth of each tree, at least 1
 * @param seed     seeds the bootstrap samples and the order features are tried in: the same
 *                 trials and seed give the same importances
 */
public record FanovaImportance(int trees, int maxDepth, long seed) {
    /** Optuna's forest size and depth. */
    public static final int DEFAULT_TREES = 64, DEFAULT_MAX_DEPTH = 64;
    /** scikit-learn's (and so Optuna's) minimum samples to split a node, and per leaf. */
    static final int MIN_SAMPLES_SPLIT = 2, MIN_SAMPLES_LEAF = 1;

    public FanovaImportance {
        if (trees < 1) throw new IllegalArgumentException("fANOVA needs at least one tree, got " + trees);
        if (maxDepth < 1) throw new IllegalArgumentException("fANOVA needs maxDepth >= 1, got " + maxDepth);
    }

    /** Optuna's defaults (64 trees, depth 64) with the given seed. */
    public static FanovaImportance seeded(long seed) {
        return new FanovaImportance(DEFAULT_TREES, DEFAULT_MAX_DEPTH, seed);
    }

    /** Each feature's variance fraction, averaged over the trees; not normalized. */
    double[] varianceFractions(ParamFeatures data) {
        RandomForest forest = RandomForest.fit(data.x(), data.y(), data.features(), trees, maxDepth, MIN_SAMPLES_SPLIT, MIN_SAMPLES_LEAF, seed);
        int d = data.features().size();
        double[] fraction = new double[d];
        for (RegressionTree tree : forest.trees()) {
            TreeMarginals anova = new TreeMarginals(tree, data.features());
            if (!(anova.variance() > 0)) continue;
            for (int i = 0; i < d; i++) fraction[i] += anova.marginalVariance(i) / anova.variance();
        }
        for (int i = 0; i < d; i++) fraction[i] /= trees;
        return fraction;
    }
}
