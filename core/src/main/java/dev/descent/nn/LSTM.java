package dev.descent.nn;

import dev.descent.tensor.Generator;
import dev.descent.tensor.Recurrence;

/**
 * Long short-term memory (Hochreiter and Schmidhuber, "Long Short-Term Memory", Neural
 * Computation 1997; with the forget gate of Gers, Schmidhuber and Cummins, 2000), as PyTorch's
 * {@code nn.LSTM(batch_first=True)}: per step, with gates in PyTorch's row order i, f, g, o,
 *
 * <pre>
 * i = sigmoid(W_ii x + b_ii + W_hi h + b_hi)    f = sigmoid(W_if x + b_if + W_hf h + b_hf)
 * g = tanh(W_ig x + b_ig + W_hg h + b_hg)       o = sigmoid(W_io x + b_io + W_ho h + b_ho)
 * c' = f c + i g                                 h' = o tanh(c')
 * </pre>
 *
 * Layers, directions, names and initialization as {@link Recurrent} says.
 */
public final class LSTM extends Recurrent {
    private LSTM(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean bidirectional, double dropout, Generator gen) {
        super(Recurrence.Cell.LSTM, "LSTM", inputSize, hiddenSize, numLayers, bias, bidirectional, dropout, gen);
    }

    /** One layer, one direction, with biases. */
    public static LSTM of(int inputSize, int hiddenSize, Generator gen) {
        return new LSTM(inputSize, hiddenSize, 1, true, false, 0, gen);
    }

    public static LSTM of(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean bidirectional, double dropout, Generator gen) {
        return new LSTM(inputSize, hiddenSize, numLayers, bias, bidirectional, dropout, gen);
    }
}
