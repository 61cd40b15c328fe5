package dev.descent.metric;

import dev.descent.tensor.Tensor;

/**
 * Counts of (true class, predicted class) pairs: {@code counts[t][p]}. Precision, recall and F1
 * derive from it per class: precision = TP / (TP + FP), recall = TP / (TP + FN),
 * F1 = 2 PR / (P + R), each 0 when its denominator is 0 (scikit-learn's zero_division=0).
 *
 * @param counts square matrix, rows true classes, columns predicted classes
 */
public record ConfusionMatrix(long[][] counts) {
    /** The confusion matrix of arg-max predictions. */
    public static ConfusionMatrix of(Tensor outputs, Tensor targets) {
        Classes.sameCount("confusion_matrix", outputs, targets);
        int[] truth = Classes.truth(targets), pred = Classes.predicted(outputs);
        int k = Classes.classCount(outputs, truth, pred);
        long[][] c = new long[k][k];
        for (int i = 0; i < truth.length; i++) c[truth[i]][pred[i]]++;
        return new ConfusionMatrix(c);
    }

    public int classes() {
        return counts.length;
    }

    public long truePositives(int k) {
        return counts[k][k];
    }

    /** Examples predicted as k. */
    public long predicted(int k) {
        long s = 0;
        for (long[] row : counts) s += row[k];
        return s;
    }

    /** Examples whose true class is k (the class's support). */
    public long actual(int k) {
        long s = 0;
        for (long v : counts[k]) s += v;
        return s;
    }

    public long total() {
        long s = 0;
        for (int k = 0; k < counts.length; k++) s += actual(k);
        return s;
    }

    public double precision(int k) {
        long p = predicted(k);
        return p == 0 ? 0 : (double) truePositives(k) / p;
    }

    public double recall(int k) {
        long a = actual(k);
        return a == 0 ? 0 : (double) truePositives(k) / a;
    }

    public double f1(int k) {
        double p = precision(k), r = recall(k);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }
}
