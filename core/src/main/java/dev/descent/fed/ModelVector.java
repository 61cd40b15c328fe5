package dev.descent.fed;

import dev.descent.nn.Module;
import dev.descent.tensor.Tensor;
import java.util.Map;
import java.util.Set;

/**
 * A model's whole state (parameters and buffers, in state-dict order) as one float32 vector: what
 * the server sends to clients and clients send back. Batch-norm running statistics are averaged
 * with the weights, as FedAvg implementations commonly do; a count buffer (BatchNorm's
 * {@code num_batches_tracked}, an int64 in PyTorch) gets the average rounded to the nearest whole
 * number when loaded into a model, as a count must be to be written as I64.
 */
public final class ModelVector {
    private ModelVector() {}

    public static float[] of(Module model) {
        Map<String, Tensor> state = model.stateDict();
        int n = 0;
        for (Tensor t : state.values()) n += t.numel();
        float[] out = new float[n];
        int at = 0;
        for (Tensor t : state.values()) {
            float[] v = t.toFloatArray();
            System.arraycopy(v, 0, out, at, v.length);
            at += v.length;
        }
        return out;
    }

    /**
     * Writes {@code vector} into the model's parameters and buffers (their identity unchanged),
     * count buffers rounded to whole numbers.
     */
    public static void load(Module model, float[] vector) {
        int at = 0;
        Set<String> counts = model.countBuffers();
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            Tensor t = e.getValue();
            if (at + t.numel() > vector.length) throw new IllegalArgumentException("vector of " + vector.length + " floats is too short for the model");
            float[] into = t.data();
            System.arraycopy(vector, at, into, 0, t.numel());
            if (counts.contains(e.getKey())) {
                for (int i = 0; i < t.numel(); i++) into[i] = (float) Math.rint(into[i]);
            }
            at += t.numel();
        }
        if (at != vector.length) throw new IllegalArgumentException("vector of " + vector.length + " floats for a model of " + at);
    }
}
