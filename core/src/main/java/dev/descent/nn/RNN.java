package dev.descent.nn;

import dev.descent.tensor.Generator;
import dev.descent.tensor.Recurrence;

/**
 * The plain (Elman) recurrent network, as PyTorch's {@code nn.RNN(batch_first=True)}: per step
 * {@code h' = act(W_ih x + b_ih + W_hh h + b_hh)} with {@code act} tanh (PyTorch's default) or
 * relu. Layers, directions, names and initialization as {@link Recurrent} says.
 */
public final class RNN extends Recurrent {
    private RNN(int inputSize, int hiddenSize, int numLayers, String nonlinearity, boolean bias, boolean bidirectional, double dropout, Generator gen) {
        super(cell(nonlinearity), "RNN", inputSize, hiddenSize, numLayers, bias, bidirectional, dropout, gen);
    }

    private static Recurrence.Cell cell(String nonlinearity) {
        return switch (nonlinearity) {
            case "tanh" -> Recurrence.Cell.RNN_TANH;
            case "relu" -> Recurrence.Cell.RNN_RELU;
            default -> throw new IllegalArgumentException("RNN: nonlinearity must be tanh or relu, got '" + nonlinearity + "'");
        };
    }

    /** One tanh layer, one direction, with biases. */
    public static RNN of(int inputSize, int hiddenSize, Generator gen) {
        return new RNN(inputSize, hiddenSize, 1, "tanh", true, false, 0, gen);
    }

    /** {@code nonlinearity}: "tanh" or "relu". */
    public static RNN of(int inputSize, int hiddenSize, int numLayers, String nonlinearity, boolean bias, boolean bidirectional, double dropout,
                         Generator gen) {
        return new RNN(inputSize, hiddenSize, numLayers, nonlinearity, bias, bidirectional, dropout, gen);
    }
}
