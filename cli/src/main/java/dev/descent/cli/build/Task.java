package dev.descent.cli.build;

import dev.descent.loss.LossRegistry;
import dev.descent.metric.Metric;
import dev.descent.tensor.Tensor;

/**
 * What a run learns, inferred from its loss: it fixes how targets are encoded for the loss, how
 * model outputs become predictions, and what metrics see. Classification targets are always
 * class indices for the metrics, whatever shape the loss wants.
 */
public enum Task {
    /** cross_entropy, nll, multi_margin: [N] class indices, outputs [N, C]. */
    CLASSES,
    /** bce, bce_with_logits: [N, 1] targets 0/1, outputs [N, 1] (a probability or a logit). */
    BINARY,
    /** kl_div: one-hot [N, C] targets, outputs [N, C] log-probabilities. */
    DISTRIBUTION,
    /** mse, l1, smooth_l1, huber: [N, 1] values, outputs [N, 1]. */
    REGRESSION;

    /** The task of a loss that takes these targets. */
    public static Task of(LossRegistry.Targets targets) {
        return switch (targets) {
            case CLASS_INDICES -> CLASSES;
            case BINARY -> BINARY;
            case DISTRIBUTION -> DISTRIBUTION;
            case VALUES -> REGRESSION;
        };
    }

    public boolean classification() {
        return this != REGRESSION;
    }

    /** Targets in the form the loss takes, from [N] class indices or values. */
    public Tensor encodeTargets(Tensor indices, int classes) {
        int n = indices.size(0);
        return switch (this) {
            case CLASSES -> indices;
            case BINARY, REGRESSION -> indices.reshape(n, 1);
            case DISTRIBUTION -> Tensor.oneHot(classIndices(indices), classes);
        };
    }

    /** [N] class indices back from encoded targets (identity for class indices and values). */
    public Tensor indexTargets(Tensor encoded) {
        return switch (this) {
            case CLASSES -> encoded;
            case BINARY, REGRESSION -> encoded.reshape(encoded.size(0));
            case DISTRIBUTION -> {
                int[] idx = encoded.argmaxIndices(1);
                float[] f = new float[idx.length];
                for (int i = 0; i < idx.length; i++) f[i] = idx[i];
                yield Tensor.of(f, f.length);
            }
        };
    }

    /**
     * The metric on this task's encoding: targets turned back into class indices, and for
     * {@code bce} (whose outputs are probabilities) the outputs shifted by 0.5, because the metrics
     * read a single output column as a logit, positive meaning class 1.
     */
    public Metric adapt(Metric m, boolean outputsAreProbabilities) {
        if (this == CLASSES || this == REGRESSION) return m;
        Task task = this;
        return new Metric() {
            @Override public String name() { return m.name(); }
            @Override public boolean higherIsBetter() { return m.higherIsBetter(); }
            @Override public double compute(Tensor outputs, Tensor targets) {
                Tensor o = task == BINARY && outputsAreProbabilities ? outputs.sub(0.5) : outputs;
                return m.compute(o, task.indexTargets(targets));
            }
        };
    }

    private static int[] classIndices(Tensor t) {
        float[] y = t.toFloatArray();
        int[] out = new int[y.length];
        for (int i = 0; i < y.length; i++) out[i] = (int) y[i];
        return out;
    }
}
