package dev.descent.nn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.descent.tensor.Generator;

/** Builds sequence.json's recurrent layers from PyTorch's constructor options (batch_first is always true there). */
final class Recurrents {
    private Recurrents() {}

    static Module build(String layer, JsonNode o, Generator gen) {
        if (!o.get("batch_first").asBoolean()) throw new IllegalArgumentException("Descent's recurrent layers are batch first");
        int in = o.get("input_size").asInt(), h = o.get("hidden_size").asInt();
        int layers = o.has("num_layers") ? o.get("num_layers").asInt() : 1;
        boolean bias = !o.has("bias") || o.get("bias").asBoolean(), bi = o.has("bidirectional") && o.get("bidirectional").asBoolean();
        double dropout = o.has("dropout") ? o.get("dropout").asDouble() : 0;
        return switch (layer) {
            case "RNN" -> RNN.of(in, h, layers, o.has("nonlinearity") ? o.get("nonlinearity").asText() : "tanh", bias, bi, dropout, gen);
            case "LSTM" -> LSTM.of(in, h, layers, bias, bi, dropout, gen);
            case "GRU" -> GRU.of(in, h, layers, bias, bi, dropout, gen);
            default -> throw new IllegalArgumentException("no builder for layer " + layer);
        };
    }
}
