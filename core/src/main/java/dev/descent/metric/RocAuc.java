package dev.descent.metric;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Area under the ROC curve, computed exactly as the Mann-Whitney U statistic: the probability
 * that a random positive scores above a random negative, ties counting one half (Hanley &amp;
 * McNeil 1982). Equal to the trapezoidal area under the ROC curve that scikit-learn reports.
 */
final class RocAuc {
    private RocAuc() {}

    /** AUC of scores for the binary labels; NaN when either class is absent. */
    static double binary(double[] scores, boolean[] positive) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        // Average ranks over ties, then U = sum of positive ranks - P(P+1)/2.
        double rankSumPositive = 0;
        long positives = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) j++;
            double averageRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (positive[order[k]]) {
                    rankSumPositive += averageRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) return Double.NaN;
        return (rankSumPositive - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }
}
