package dev.descent.nn;

import dev.descent.tensor.Generator;
import dev.descent.tensor.Recurrence;

/**
 * Gated recurrent unit (Cho et al., "Learning Phrase Representations using RNN Encoder-Decoder
 * for Statistical Machine Translation", EMNLP 2014), as PyTorch's {@code nn.GRU(batch_first=True)}:
 * per step, with gates in PyTorch's row order r, z, n,
 *
 * <pre>
 * r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)     z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
 * n = tanh(W_in x + b_in + r (W_hn h + b_hn))    h' = (1 - z) n + z h
 * </pre>
 *
 * Layers, directions, names and initialization as {@link Recurrent} says.
 */
public final class GRU extends Recurrent {
    private GRU(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean bidirectional, double dropout, Generator gen) {
        super(Recurrence.Cell.GRU, "GRU", inputSize, hiddenSize, numLayers, bias, bidirectional, dropout, gen);
    }

    /** One layer, one direction, with biases. */
    public static GRU of(int inputSize, int hiddenSize, Generator gen) {
        return new GRU(inputSize, hiddenSize, 1, true, false, 0, gen);
    }

    public static GRU of(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean bidirectional, double dropout, Generator gen) {
        return new GRU(inputSize, hiddenSize, numLayers, bias, bidirectional, dropout, gen);
    }
}
