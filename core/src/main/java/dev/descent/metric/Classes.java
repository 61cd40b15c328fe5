package dev.descent.metric;

import dev.descent.tensor.Tensor;
import java.util.Arrays;

/** Helpers turning outputs and targets into predicted and true class indices. */
final class Classes {
    private Classes() {}

    static int[] truth(Tensor targets) {
        float[] y = targets.toFloatArray();
        int[] out = new int[y.length];
        for (int i = 0; i < y.length; i++) {
            if (y[i] != Math.rint(y[i]) || y[i] < 0) throw new IllegalArgumentException("target " + y[i] + " at row " + i + " is not a class index");
            out[i] = (int) y[i];
        }
        return out;
    }

    /** Predicted class: arg-max of [N, C] outputs; for a single output column, class 1 when the logit is positive. */
    static int[] predicted(Tensor outputs) {
        if (outputs.dim() == 2 && outputs.size(1) > 1) return outputs.argmaxIndices(1);
        float[] v = outputs.toFloatArray();
        int[] out = new int[v.length];
        // One output per example is a binary classifier's logit: class 1 when positive.
        for (int i = 0; i < v.length; i++) out[i] = v[i] > 0 ? 1 : 0;
        return out;
    }

    static int classCount(Tensor outputs, int[] truth, int[] pred) {
        int k = outputs.dim() == 2 && outputs.size(1) > 1 ? outputs.size(1) : 2;
        for (int t : truth) k = Math.max(k, t + 1);
        for (int p : pred) k = Math.max(k, p + 1);
        return k;
    }

    static void sameCount(String metric, Tensor outputs, Tensor targets) {
        if (outputs.size(0) != targets.size(0)) {
            throw new IllegalArgumentException(metric + ": outputs " + Arrays.toString(outputs.shape()) + " and targets "
                    + Arrays.toString(targets.shape()) + " have different numbers of examples");
        }
    }
}
