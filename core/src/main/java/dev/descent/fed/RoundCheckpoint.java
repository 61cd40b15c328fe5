package dev.descent.fed;

import dev.descent.io.Safetensors;
import dev.descent.io.SafetensorsFile;
import dev.descent.nn.Module;
import dev.descent.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a federated run stands after a round, everything the next round depends on: the rounds
 * completed, the global state (the {@link ModelVector}, exactly: count buffers unrounded) and the
 * {@link ServerOptimizer}'s state. The clients a round samples and their local training's
 * generators are keyed by the seed and the round number ({@link ClientSampler},
 * {@link LocalTraining}), so the round number is their position and nothing else is needed.
 *
 * <p>On disk one safetensors file: the global state as {@code model/<name>} float32 tensors of
 * the model's state-dict names and shapes (PyTorch can open it), {@code server/m} and
 * {@code server/v}, and the metadata {@code format=descent.federated-checkpoint},
 * {@code rounds}. Written to a temporary name and moved into place.
 *
 * @param rounds the rounds completed
 * @param global the global state after them
 * @param server the server optimizer's state ({@link ServerOptimizer#state()})
 */
public record RoundCheckpoint(int rounds, float[] global, Map<String, float[]> server) {
    public static final String FORMAT = "descent.federated-checkpoint";

    public RoundCheckpoint {
        global = global.clone();
        Map<String, float[]> copy = new TreeMap<>();
        server.forEach((k, v) -> copy.put(k, v.clone()));
        server = java.util.Collections.unmodifiableMap(copy);
    }

    /** Writes this checkpoint, the global state named and shaped as {@code model}'s state dict. */
    public void write(Path file, Module model) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        int at = 0;
        for (var e : model.stateDict().entrySet()) {
            int n = e.getValue().numel();
            tensors.put("model/" + e.getKey(), Tensor.of(Arrays.copyOfRange(global, at, at + n), e.getValue().shape()));
            at += n;
        }
        if (at != global.length) throw new IllegalArgumentException("global state of " + global.length + " floats for a model of " + at);
        server.forEach((k, v) -> tensors.put("server/" + k, Tensor.of(v, v.length)));
        Safetensors.write(file, tensors, Map.of("format", FORMAT, "rounds", Integer.toString(rounds)));
    }

    /**
     * Reads a checkpoint written for {@code model}'s architecture.
     *
     * @throws IOException              when the file cannot be read or is not a federated checkpoint
     * @throws IllegalArgumentException when its tensors do not fit {@code model} (names, shapes)
     */
    public static RoundCheckpoint read(Path file, Module model) throws IOException {
        SafetensorsFile f = Safetensors.read(file);
        if (!FORMAT.equals(f.metadata().get("format"))) {
            throw new IOException(file + ": not a Descent federated checkpoint (no format=" + FORMAT + " metadata)");
        }
        int rounds;
        try {
            rounds = Integer.parseInt(f.metadata().getOrDefault("rounds", ""));
        } catch (NumberFormatException e) {
            throw new IOException(file + ": metadata rounds is not a whole number: " + f.metadata().get("rounds"));
        }
        Map<String, Tensor> state = model.stateDict();
        float[] global = new float[ModelVector.of(model).length];
        int at = 0;
        for (var e : state.entrySet()) {
            Tensor t = f.tensors().get("model/" + e.getKey());
            if (t == null) throw new IllegalArgumentException("no tensor model/" + e.getKey());
            if (!Arrays.equals(t.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("model/" + e.getKey() + " has shape " + Arrays.toString(t.shape()) + ", the model "
                        + Arrays.toString(e.getValue().shape()));
            }
            System.arraycopy(t.toFloatArray(), 0, global, at, t.numel());
            at += t.numel();
        }
        Map<String, float[]> server = new TreeMap<>();
        for (var e : f.tensors().entrySet()) {
            String name = e.getKey();
            if (name.startsWith("server/")) server.put(name.substring(7), e.getValue().toFloatArray());
            else if (!name.startsWith("model/") || !state.containsKey(name.substring(6))) {
                throw new IllegalArgumentException("tensor " + name + " is not part of this model");
            }
        }
        for (float[] v : server.values()) {
            if (v.length != global.length) throw new IllegalArgumentException("server state of " + v.length + " floats for a model of " + global.length);
        }
        return new RoundCheckpoint(rounds, global, server);
    }
}
