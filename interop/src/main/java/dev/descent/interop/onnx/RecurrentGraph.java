package dev.descent.interop.onnx;

import dev.descent.interop.onnx.OnnxGraph.Attribute;
import dev.descent.nn.Recurrent;
import dev.descent.tensor.Recurrence;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Descent's recurrent layers ({@link dev.descent.nn.RNN}, {@link dev.descent.nn.LSTM},
 * {@link dev.descent.nn.GRU}, batch first, zero initial states) as ONNX's RNN, LSTM and GRU
 * operators, one node per layer of the stack (both directions in one node when bidirectional),
 * for {@link OnnxExport}.
 *
 * <ul>
 *   <li>Layout: ONNX's operators are sequence first (ONNX Runtime runs only {@code layout = 0}):
 *       the input {@code [B, T, F]} is transposed to {@code [T, B, F]} once, each layer's
 *       {@code Y [T, D, B, H]} becomes {@code [T, B, D * H]} (Transpose to {@code [T, B, D, H]}
 *       then Reshape: the forward direction's features first, as Descent concatenates them) for
 *       the next layer, and the last layer's is transposed back to {@code [B, T, D * H]}.
 *   <li>Weights: {@code W [D, G H, in]} and {@code R [D, G H, H]} stack the directions' input
 *       and hidden weights, {@code B [D, 2 G H]} each direction's input bias then hidden bias (no
 *       B input without biases). The gate blocks are reordered from PyTorch's rows to ONNX's:
 *       LSTM (i, f, g, o) to (i, o, f, c), GRU (r, z, n) to (z, r, h).
 *   <li>GRU with {@code linear_before_reset = 1}: ONNX then computes
 *       {@code h~ = tanh(W_h x + b_Wh + r (R_h h + b_Rh))}, PyTorch's (and Descent's) form; the
 *       default (0) would apply r before the hidden product.
 *   <li>RNN's nonlinearity as the {@code activations} attribute (Tanh or Relu, per direction).
 *   <li>Dropout between layers is the identity in evaluation, so it has no node.
 * </ul>
 */
final class RecurrentGraph {
    /** Descent's gate block j of a weight goes to ONNX's position i: ONNX block i is Descent block ORDER[i]. */
    private static final int[] LSTM_ORDER = {0, 3, 1, 2}, GRU_ORDER = {1, 0, 2}, RNN_ORDER = {0};

    private final OnnxGraph g;
    private final Function<Tensor, String> weight;

    RecurrentGraph(OnnxGraph g, Function<Tensor, String> weight) {
        this.g = g;
        this.weight = weight;
    }

    /** The layer's output sequence [B, T, D * H] from x [B, T, F]. */
    String layer(Recurrent r, String x) {
        Recurrence.Cell cell = r.cell();
        int dirs = r.bidirectional() ? 2 : 1, h = r.hiddenSize();
        int[] order = switch (cell) {
            case LSTM -> LSTM_ORDER;
            case GRU -> GRU_ORDER;
            case RNN_TANH, RNN_RELU -> RNN_ORDER;
        };
        String op = switch (cell) {
            case LSTM -> "LSTM";
            case GRU -> "GRU";
            case RNN_TANH, RNN_RELU -> "RNN";
        };
        var p = r.namedParameters();
        String seq = g.node("Transpose", List.of(x), Attribute.ofInts("perm", 1, 0, 2)); // [T, B, F]
        for (int k = 0; k < r.numLayers(); k++) {
            List<Tensor> w = new ArrayList<>(), rr = new ArrayList<>(), b = new ArrayList<>();
            for (int d = 0; d < dirs; d++) {
                String s = "_l" + k + (d == 1 ? "_reverse" : "");
                w.add(reordered(p.get("weight_ih" + s), order, h));
                rr.add(reordered(p.get("weight_hh" + s), order, h));
                if (r.bias()) b.add(Tensor.cat(List.of(reordered(p.get("bias_ih" + s), order, h), reordered(p.get("bias_hh" + s), order, h)), 0));
            }
            List<String> in = new ArrayList<>(List.of(seq, weight.apply(Tensor.stack(w, 0)), weight.apply(Tensor.stack(rr, 0))));
            if (r.bias()) in.add(weight.apply(Tensor.stack(b, 0)));
            List<Attribute> attributes = new ArrayList<>(List.of(Attribute.ofInt("hidden_size", h),
                    Attribute.ofString("direction", dirs == 2 ? "bidirectional" : "forward")));
            if (cell == Recurrence.Cell.GRU) attributes.add(Attribute.ofInt("linear_before_reset", 1));
            if (cell == Recurrence.Cell.RNN_RELU) attributes.add(Attribute.ofStrings("activations", dirs == 2 ? new String[] {"Relu", "Relu"} : new String[] {"Relu"}));
            String y = g.node(op, in, attributes.toArray(Attribute[]::new)); // [T, D, B, H]
            String perDirection = g.node("Transpose", List.of(y), Attribute.ofInts("perm", 0, 2, 1, 3)); // [T, B, D, H]
            seq = g.node("Reshape", List.of(perDirection, g.longs("steps_shape", new long[] {0, 0, (long) dirs * h})));
        }
        return g.node("Transpose", List.of(seq), Attribute.ofInts("perm", 1, 0, 2));
    }

    /** The gate blocks of [G H, ...] (rows) or [G H] in ONNX's order. */
    private static Tensor reordered(Tensor t, int[] order, int h) {
        List<Tensor> blocks = new ArrayList<>();
        for (int j : order) blocks.add(t.narrow(0, j * h, h));
        return Tensor.cat(blocks, 0);
    }
}
