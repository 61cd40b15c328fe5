package dev.descent.metric;

import dev.descent.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The built-in metrics, by factory and by name (the names the configuration file uses).
 * Classification metrics take [N, C] outputs (arg-max is the prediction; a single column is a
 * binary logit, positive meaning class 1) and [N] class indices; regression metrics take [N] or
 * [N, 1] outputs and [N] targets. Definitions follow scikit-learn's.
 */
public final class Metrics {
    private Metrics() {}

    private record Simple(String name, boolean higherIsBetter, BiFunction<Tensor, Tensor, Double> f) implements Metric {
        @Override
        public double compute(Tensor outputs, Tensor targets) {
            Classes.sameCount(name, outputs, targets);
            return f.apply(outputs, targets);
        }
    }

    /** Share of examples whose arg-max output is the target. */
    public static Metric accuracy() {
        return new Simple("accuracy", true, (o, t) -> {
            ConfusionMatrix c = ConfusionMatrix.of(o, t);
            long hit = 0;
            for (int k = 0; k < c.classes(); k++) hit += c.truePositives(k);
            return (double) hit / Math.max(1, c.total());
        });
    }

    /** Share of examples whose target is among the k largest outputs (ties broken by lower index). */
    public static Metric topKAccuracy(int k) {
        if (k < 1) throw new IllegalArgumentException("top-k accuracy: k must be at least 1, got " + k);
        return new Simple("top" + k + "_accuracy", true, (o, t) -> {
            int[] truth = Classes.truth(t);
            int c = o.size(1);
            float[] v = o.toFloatArray();
            long hit = 0;
            for (int i = 0; i < truth.length; i++) {
                float target = v[i * c + truth[i]];
                int above = 0;
                for (int j = 0; j < c; j++) {
                    float x = v[i * c + j];
                    if (x > target || (x == target && j < truth[i])) above++;
                }
                if (above < k) hit++;
            }
            return (double) hit / Math.max(1, truth.length);
        });
    }

    /**
     * Perplexity of a language model, {@code exp(mean over rows of -log softmax(outputs)[target])}:
     * the exponential of the mean cross-entropy of [N, C] logits (one row per token) against [N]
     * class indices, summed in double. A model that spreads its probability evenly over k tokens
     * has perplexity k. Lower is better.
     */
    public static Metric perplexity() {
        return new Simple("perplexity", false, (o, t) -> {
            int[] truth = Classes.truth(t);
            if (o.dim() != 2) throw new IllegalArgumentException("perplexity: needs [N, C] logits, got " + Arrays.toString(o.shape()));
            int c = o.size(1);
            float[] v = o.toFloatArray();
            double sum = 0;
            for (int i = 0; i < truth.length; i++) {
                if (truth[i] >= c) throw new IllegalArgumentException("perplexity: target " + truth[i] + " at row " + i + " is not in [0, " + c + ")");
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < c; j++) max = Math.max(max, v[i * c + j]);
                double z = 0;
                for (int j = 0; j < c; j++) z += Math.exp(v[i * c + j] - max);
                sum += max + Math.log(z) - v[i * c + truth[i]];
            }
            return Math.exp(sum / Math.max(1, truth.length));
        });
    }

    /** F1 averaged over classes without weights ({@code f1(Average.MACRO)}). */
    public static Metric f1Macro() {
        return f1(Average.MACRO);
    }

    public static Metric precision(Average average) {
        return averaged("precision", average, ConfusionMatrix::precision);
    }

    public static Metric recall(Average average) {
        return averaged("recall", average, ConfusionMatrix::recall);
    }

    public static Metric f1(Average average) {
        return averaged("f1", average, ConfusionMatrix::f1);
    }

    private interface PerClass {
        double of(ConfusionMatrix c, int k);
    }

    private static Metric averaged(String measure, Average average, PerClass perClass) {
        return new Simple(measure + "_" + average.name().toLowerCase(), true, (o, t) -> {
            ConfusionMatrix c = ConfusionMatrix.of(o, t);
            switch (average) {
                case MICRO -> {
                    // single-label: global TP / total, whatever the measure
                    long hit = 0;
                    for (int k = 0; k < c.classes(); k++) hit += c.truePositives(k);
                    return (double) hit / Math.max(1, c.total());
                }
                case MACRO -> {
                    // scikit-learn averages over the classes present in targets or predictions
                    double s = 0;
                    int n = 0;
                    for (int k = 0; k < c.classes(); k++) {
                        if (c.actual(k) == 0 && c.predicted(k) == 0) continue;
                        s += perClass.of(c, k);
                        n++;
                    }
                    return n == 0 ? 0 : s / n;
                }
                default -> {
                    double s = 0;
                    for (int k = 0; k < c.classes(); k++) s += perClass.of(c, k) * c.actual(k);
                    return s / Math.max(1, c.total());
                }
            }
        });
    }

    /**
     * ROC-AUC: for one output column (a binary logit) or two columns, the binary AUC of the
     * positive class's score; for more, the unweighted mean of one-vs-rest AUCs over classes
     * (scikit-learn's multi_class="ovr", average="macro"). Scores may be logits or probabilities
     * for binary; for one-vs-rest the softmax of the outputs is used, as probabilities are.
     */
    public static Metric rocAuc() {
        return new Simple("roc_auc", true, (o, t) -> {
            int[] truth = Classes.truth(t);
            int n = truth.length;
            int c = o.dim() == 2 ? o.size(1) : 1;
            if (c <= 2) {
                float[] v = o.toFloatArray();
                double[] scores = new double[n];
                boolean[] pos = new boolean[n];
                for (int i = 0; i < n; i++) {
                    scores[i] = c == 1 ? v[i] : v[i * 2 + 1] - v[i * 2];
                    pos[i] = truth[i] == 1;
                }
                return RocAuc.binary(scores, pos);
            }
            float[] p = o.softmax(1).toFloatArray();
            double s = 0;
            int counted = 0;
            for (int k = 0; k < c; k++) {
                double[] scores = new double[n];
                boolean[] pos = new boolean[n];
                for (int i = 0; i < n; i++) {
                    scores[i] = p[i * c + k];
                    pos[i] = truth[i] == k;
                }
                double auc = RocAuc.binary(scores, pos);
                if (!Double.isNaN(auc)) {
                    s += auc;
                    counted++;
                }
            }
            return counted == 0 ? Double.NaN : s / counted;
        });
    }

    public static Metric mse() {
        return regression("mse", false, (e, y) -> sumSquares(e) / e.length);
    }

    public static Metric mae() {
        return regression("mae", false, (e, y) -> {
            double s = 0;
            for (double v : e) s += Math.abs(v);
            return s / e.length;
        });
    }

    public static Metric rmse() {
        return regression("rmse", false, (e, y) -> Math.sqrt(sumSquares(e) / e.length));
    }

    /** Coefficient of determination 1 - SS_res / SS_tot (1 for a perfect fit; can be negative). */
    public static Metric r2() {
        return regression("r2", true, (e, y) -> {
            double mean = 0;
            for (double v : y) mean += v / y.length;
            double tot = 0;
            for (double v : y) tot += (v - mean) * (v - mean);
            double res = sumSquares(e);
            return tot == 0 ? (res == 0 ? 1.0 : 0.0) : 1 - res / tot;
        });
    }

    private static double sumSquares(double[] e) {
        double s = 0;
        for (double v : e) s += v * v;
        return s;
    }

    private static Metric regression(String name, boolean higher, BiFunction<double[], double[], Double> f) {
        return new Simple(name, higher, (o, t) -> {
            double[] out = o.toDoubleArray(), y = t.toDoubleArray();
            if (out.length != y.length) {
                throw new IllegalArgumentException(name + ": " + out.length + " outputs for " + y.length + " targets");
            }
            double[] err = new double[y.length];
            for (int i = 0; i < y.length; i++) err[i] = out[i] - y[i];
            return f.apply(err, y);
        });
    }

    /** Names accepted by {@link #byName(String)}. */
    public static List<String> names() {
        return MetricRegistry.names();
    }

    /** The metric of that name, or null when there is none. */
    public static Metric byName(String name) {
        Metric m = MetricRegistry.make(name);
        if (m != null) return m;
        if (name.matches("top\\d+_accuracy")) return topKAccuracy(Integer.parseInt(name.substring(3, name.indexOf('_'))));
        return null;
    }
}
