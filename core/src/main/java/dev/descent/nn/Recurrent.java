package dev.descent.nn;

import dev.descent.tensor.Generator;
import dev.descent.tensor.Recurrence;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What {@link RNN}, {@link LSTM} and {@link GRU} share, as PyTorch's {@code RNNBase} with
 * {@code batch_first=True}: {@code numLayers} stacked layers, each one direction or two
 * ({@code bidirectional}: the second runs from the last step to the first and its features come
 * second), layer k &gt; 0 reading the concatenated outputs of layer k - 1, with dropout between
 * layers (not after the last) in training mode. Parameters per layer k and direction, in
 * PyTorch's order and names: {@code weight_ih_l{k}}, {@code weight_hh_l{k}}, {@code bias_ih_l{k}},
 * {@code bias_hh_l{k}}, suffixed {@code _reverse} for the backward direction; all drawn uniform on
 * [-1/sqrt(H), 1/sqrt(H)] as PyTorch does. Each layer and direction is one
 * {@link Recurrence} operation with its own backward pass through time.
 */
public abstract class Recurrent extends Module {
    private final Recurrence.Cell cell;
    private final int inputSize;
    private final int hiddenSize;
    private final int numLayers;
    private final boolean bias;
    private final boolean bidirectional;
    private final Dropout dropout;
    private Generator generator;

    /**
     * The outputs of a whole stack.
     *
     * @param output    [B, T, D * H], the last layer's hidden states at every step (D = 2 when bidirectional)
     * @param hN        [L * D, B, H], every layer and direction's final hidden state (PyTorch's h_n)
     * @param cN        an LSTM's final cell states [L * D, B, H] (carry no gradient), else null
     */
    public record Output(Tensor output, Tensor hN, Tensor cN) {}

    Recurrent(Recurrence.Cell cell, String name, int inputSize, int hiddenSize, int numLayers, boolean bias, boolean bidirectional, double dropout,
              Generator gen) {
        if (inputSize <= 0 || hiddenSize <= 0 || numLayers <= 0) {
            throw new IllegalArgumentException(name + ": input_size, hidden_size and num_layers must be positive, got " + inputSize + ", "
                    + hiddenSize + ", " + numLayers);
        }
        this.cell = cell;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.numLayers = numLayers;
        this.bias = bias;
        this.bidirectional = bidirectional;
        this.dropout = Dropout.of(dropout);
        int g = cell.gates * hiddenSize, dirs = bidirectional ? 2 : 1;
        double bound = 1 / Math.sqrt(hiddenSize);
        for (int k = 0; k < numLayers; k++) {
            int in = k == 0 ? inputSize : hiddenSize * dirs;
            for (int d = 0; d < dirs; d++) {
                String s = "_l" + k + (d == 1 ? "_reverse" : "");
                Init.uniform(registerParameter("weight_ih" + s, Tensor.zeros(g, in)), -bound, bound, gen);
                Init.uniform(registerParameter("weight_hh" + s, Tensor.zeros(g, hiddenSize)), -bound, bound, gen);
                if (bias) {
                    Init.uniform(registerParameter("bias_ih" + s, Tensor.zeros(g)), -bound, bound, gen);
                    Init.uniform(registerParameter("bias_hh" + s, Tensor.zeros(g)), -bound, bound, gen);
                }
            }
        }
    }

    @Override
    protected void useGenerator(Generator g) {
        this.generator = g;
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    /** The cell each step computes (RNN with tanh or relu, LSTM, GRU). */
    public Recurrence.Cell cell() {
        return cell;
    }

    public int numLayers() {
        return numLayers;
    }

    /** Whether every layer has its biases {@code bias_ih}, {@code bias_hh}. */
    public boolean bias() {
        return bias;
    }

    public boolean bidirectional() {
        return bidirectional;
    }

    /** Features of each output step: hidden size, doubled when bidirectional. */
    public int outputSize() {
        return hiddenSize * (bidirectional ? 2 : 1);
    }

    @Override
    public boolean keepsActivations() {
        return false;
    }

    /** The output sequence [B, T, D * H] from zero initial states (PyTorch's {@code output}, element 0 of the returned pair). */
    @Override
    public Tensor forward(Tensor x) {
        return forward(x, null, null).output();
    }

    /**
     * The whole result from the given initial states ({@code h0}, and {@code c0} for an LSTM:
     * [L * D, B, H], or null for zeros).
     */
    public Output forward(Tensor x, Tensor h0, Tensor c0) {
        if (x.dim() != 3 || x.size(2) != inputSize) {
            throw new IllegalArgumentException(getClass().getSimpleName() + "(" + inputSize + ", " + hiddenSize + "): input of shape "
                    + Arrays.toString(x.shape()) + " is not [batch, time, " + inputSize + "]");
        }
        int dirs = bidirectional ? 2 : 1, b = x.size(0);
        int[] stateShape = {numLayers * dirs, b, hiddenSize};
        if (h0 != null && !Arrays.equals(h0.shape(), stateShape)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": h0 of shape " + Arrays.toString(h0.shape()) + ", expected "
                    + Arrays.toString(stateShape));
        }
        if (c0 != null && (cell != Recurrence.Cell.LSTM || !Arrays.equals(c0.shape(), stateShape))) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": c0 " + (cell != Recurrence.Cell.LSTM ? "is only for an LSTM"
                    : "of shape " + Arrays.toString(c0.shape()) + ", expected " + Arrays.toString(stateShape)));
        }
        List<Tensor> hLast = new ArrayList<>(), cLast = new ArrayList<>();
        Tensor in = x;
        for (int k = 0; k < numLayers; k++) {
            if (k > 0 && isTraining() && dropout.p() > 0) {
                if (generator == null) {
                    throw new IllegalStateException(getClass().getSimpleName() + "(dropout=" + dropout.p() + ") in training mode has no generator:"
                            + " call model.setGenerator(generator)");
                }
                in = dropout.forward(in, generator);
            }
            List<Tensor> outs = new ArrayList<>();
            for (int d = 0; d < dirs; d++) {
                String s = "_l" + k + (d == 1 ? "_reverse" : "");
                int state = k * dirs + d;
                Recurrence.Result r = Recurrence.run(cell, in, parameter("weight_ih" + s), parameter("weight_hh" + s),
                        bias ? parameter("bias_ih" + s) : null, bias ? parameter("bias_hh" + s) : null,
                        h0 == null ? null : h0.narrow(0, state, 1).squeeze(0), c0 == null ? null : c0.narrow(0, state, 1).squeeze(0), d == 1);
                outs.add(r.output());
                int t = in.size(1);
                hLast.add(r.output().narrow(1, d == 1 ? 0 : t - 1, 1).squeeze(1));
                if (r.cellState() != null) cLast.add(r.cellState());
            }
            in = dirs == 1 ? outs.get(0) : Tensor.cat(outs, 2);
        }
        return new Output(in, Tensor.stack(hLast, 0), cLast.isEmpty() ? null : Tensor.stack(cLast, 0));
    }

    @Override
    protected String extraRepr() {
        return inputSize + ", " + hiddenSize + ", num_layers=" + numLayers + ", bias=" + bias + ", batch_first=True, bidirectional=" + bidirectional
                + (dropout.p() > 0 ? ", dropout=" + dropout.p() : "");
    }
}
