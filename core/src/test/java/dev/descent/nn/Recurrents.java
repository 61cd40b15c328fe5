package dev.descent.nn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.descent.tensor.Generator;

/** Builds the recurrent layers of sequence.json's cases from PyTorch's constructor options. */
final class Recurrents {
    private Recurrents() {}

    static Module build(String layer, JsonNode o, Generator gen) {
        throw new UnsupportedOperationException("no recurrent layer " + layer + " yet");
    }
}
