package dev.descent.fed;

import dev.descent.nn.Module;
import dev.descent.tensor.Tensor;
import java.util.Map;

/**
 * A model's whole state (parameters and buffers, in state-dict order) as one float32 vector: what
 * the server sends to clients and clients send back. Batch-norm running statistics are averaged
 * with the weights, as FedAvg implementations commonly do.
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

    /** Writes {@code vector} into the model's parameters and buffers (their identity unchanged). */
    public static void load(Module model, float[] vector) {
        int at = 0;
        for (Tensor t : model.stateDict().values()) {
            if (at + t.numel() > vector.length) throw new IllegalArgumentException("vector of " + vector.length + " floats is too short for the model");
            System.arraycopy(vector, at, t.data(), 0, t.numel());
            at += t.numel();
        }
        if (at != vector.length) throw new IllegalArgumentException("vector of " + vector.length + " floats for a model of " + at);
    }
}
