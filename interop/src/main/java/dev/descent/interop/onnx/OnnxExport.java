package dev.descent.interop.onnx;

import dev.descent.data.Scaler;
import dev.descent.interop.onnx.OnnxGraph.Attribute;
import dev.descent.nn.AvgPool2d;
import dev.descent.nn.BatchNorm;
import dev.descent.nn.Conv2d;
import dev.descent.nn.Dropout;
import dev.descent.nn.ELU;
import dev.descent.nn.Embedding;
import dev.descent.nn.Flatten;
import dev.descent.nn.GELU;
import dev.descent.nn.LayerNorm;
import dev.descent.nn.LeakyReLU;
import dev.descent.nn.Linear;
import dev.descent.nn.LastStep;
import dev.descent.nn.LogSoftmax;
import dev.descent.nn.MaxPool2d;
import dev.descent.nn.MeanPool;
import dev.descent.nn.Module;
import dev.descent.nn.MultiheadAttention;
import dev.descent.nn.PositionalEmbedding;
import dev.descent.nn.Recurrent;
import dev.descent.nn.ReLU;
import dev.descent.nn.Sequential;
import dev.descent.nn.SiLU;
import dev.descent.nn.Sigmoid;
import dev.descent.nn.Softmax;
import dev.descent.nn.Softplus;
import dev.descent.nn.Tanh;
import dev.descent.nn.TransformerEncoder;
import dev.descent.nn.TransformerEncoderLayer;
import dev.descent.tensor.GradMode;
import dev.descent.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A trained {@link Sequential} as an ONNX model (opset {@value OnnxGraph#OPSET}) that ONNX Runtime
 * and every other ONNX consumer runs: input {@code "input"} of shape {@code [batch, example...]}
 * (the batch dimension symbolic), output {@code "output"} (the model's outputs), and, when asked,
 * {@code "probabilities"}. The model is exported in evaluation form: dropout is the identity,
 * batch norm uses its running statistics.
 *
 * <p>Layers map onto ONNX operators one to one where ONNX has them (Gemm or MatMul+Add for
 * Linear, Conv, MaxPool, AveragePool with count_include_pad, BatchNormalization,
 * LayerNormalization, Flatten or Reshape, Relu, LeakyRelu, Elu, Tanh, Sigmoid, Softmax,
 * LogSoftmax, Gather for Embedding, with max_norm on its renormalized table) and are composed
 * of elementary operators otherwise: GELU as {@code x/2 (1 + erf(x / sqrt 2))} or its tanh form, SiLU as {@code x sigmoid(x)}, Softplus
 * with beta and threshold as {@code where(beta x > threshold, x, softplus(beta x) / beta)}, and
 * the sequence layers (learned positions, multi-head self-attention, transformer encoder layers
 * with their causal mask, last_step, mean_pool) as {@link SequenceGraph} writes them; RNN, LSTM and
 * GRU as ONNX's RNN, LSTM and GRU operators ({@link RecurrentGraph}). A layer of another kind (a
 * user's own Module) or batch norm without running statistics has no ONNX form: the export
 * refuses it, naming its position.
 *
 * <p>A model whose first layer is an Embedding (a sequence model on token ids) and that has no
 * input scaling takes int64 token ids {@code [batch, T]}; its sequence length is symbolic
 * ({@code "time"}) when the model accepts another length (no Flatten over the positions, T at
 * most a learned position table's length), else fixed to the example shape's. Other models take
 * float32; an Embedding further in casts its float indices to int64 for Gather.
 *
 * <p>The input scaling of the run is folded into the graph as its first nodes, each {@link Scaler}
 * in turn as {@code (x - shift) / divisor} in float32 exactly as it computes it, so the model
 * takes raw features (for images, the raw pixel values before their division by 255).
 */
public final class OnnxExport {
    /** What the graph adds after the model's outputs. */
    public enum Probabilities {
        /** No probabilities output. */
        NONE,
        /** Softmax over the classes (the outputs are logits). */
        SOFTMAX,
        /** Sigmoid (one logit per example). */
        SIGMOID,
        /** Exp (the outputs are log-probabilities). */
        EXP,
        /** The outputs are probabilities already. */
        IDENTITY
    }

    /**
     * @param inputShape    one example's shape as the model receives it
     * @param scaling       the input scaling of training, applied in order (folded into the graph)
     * @param probabilities whether and how to add a {@code "probabilities"} output
     * @param metadata      key/value pairs for the model's metadata_props (class names, task...)
     * @param version       the producer version written into the model
     */
    public record Options(int[] inputShape, List<Scaler> scaling, Probabilities probabilities, Map<String, String> metadata, String version) {
        public Options {
            inputShape = inputShape.clone();
            scaling = List.copyOf(scaling);
            Objects.requireNonNull(probabilities, "probabilities");
            metadata = new LinkedHashMap<>(metadata);
        }
    }

    public static final String INPUT = "input", OUTPUT = "output", PROBABILITIES = "probabilities";
    /** The ONNX operator set the models use. */
    public static final int OPSET = OnnxGraph.OPSET;

    private final OnnxGraph g = new OnnxGraph();
    private final SequenceGraph sequence = new SequenceGraph(g, this::weight, (layer, x) -> layer(layer, x, new int[2], "sequence layer"));
    private final RecurrentGraph recurrent = new RecurrentGraph(g, this::weight);
    /** Whether the graph input is int64 token ids (no Cast before the first Embedding). */
    private boolean tokens;

    private OnnxExport() {}

    /**
     * The serialized ModelProto.
     *
     * @throws IllegalArgumentException naming the layer ({@code model[i] (Kind)}) that ONNX cannot express
     */
    public static byte[] export(Sequential model, Options o) {
        boolean training = model.isTraining();
        model.eval();
        try (var scope = GradMode.noGrad()) {
            return new OnnxExport().build(model, o);
        } finally {
            model.train(training);
        }
    }

    private byte[] build(Sequential model, Options o) {
        tokens = model.size() > 0 && model.get(0) instanceof Embedding && o.scaling().stream().allMatch(s -> s instanceof Scaler.None);
        boolean timeFree = tokens && acceptsAnotherLength(model, o.inputShape());
        g.input(INPUT, timeFree ? new int[] {OnnxGraph.TIME} : o.inputShape(), tokens ? OnnxGraph.INT64 : OnnxGraph.FLOAT);
        String x = INPUT;
        for (Scaler scaler : o.scaling()) x = scaled(x, scaler, o.inputShape());
        int[] shape = o.inputShape();
        List<Module> layers = model.modules();
        for (int i = 0; i < layers.size(); i++) {
            Module layer = layers.get(i);
            String where = "model[" + i + "] (" + layer.getClass().getSimpleName() + ")";
            int[] out = outputShape(layer, shape);
            x = layer(layer, x, shape, where);
            shape = out;
        }
        if (timeFree) shape = withTime(model, o.inputShape(), shape);
        g.nodeTo("Identity", List.of(x), OUTPUT);
        g.output(OUTPUT, shape);
        String p = switch (o.probabilities()) {
            case NONE -> null;
            // The classes are the last axis: [batch, classes], or [batch, T, vocabulary] for a language model (as cross-entropy reads them).
            case SOFTMAX -> g.node("Softmax", List.of(OUTPUT), Attribute.ofInt("axis", -1));
            case SIGMOID -> g.node("Sigmoid", List.of(OUTPUT));
            case EXP -> g.node("Exp", List.of(OUTPUT));
            case IDENTITY -> OUTPUT;
        };
        if (p != null) {
            g.nodeTo("Identity", List.of(p), PROBABILITIES);
            g.output(PROBABILITIES, shape);
        }
        o.metadata().forEach(g::metadata);
        return g.toBytes("descent", o.version());
    }

    /** The scaler as graph nodes, in Scaler's own float32 order: subtract, then divide. */
    private String scaled(String x, Scaler scaler, int[] shape) {
        return switch (scaler) {
            case Scaler.None n -> x;
            case Scaler.Divide d -> g.node("Div", List.of(x, g.scalar("scale_divisor", d.divisor())));
            case Scaler.Standard s -> affine(x, s.mean(), s.std(), shape);
            case Scaler.MinMax m -> {
                float[] range = new float[m.min().length];
                for (int j = 0; j < range.length; j++) range[j] = m.max()[j] > m.min()[j] ? m.max()[j] - m.min()[j] : 1f;
                yield affine(x, m.min(), range, shape);
            }
        };
    }

    private String affine(String x, float[] shift, float[] divisor, int[] shape) {
        if (shape.length != 1 || shape[0] != shift.length) {
            throw new IllegalArgumentException("a per-feature scaler of " + shift.length + " features cannot scale examples of shape " + Arrays.toString(shape));
        }
        String centered = g.node("Sub", List.of(x, g.constant("scale_shift", shift, shift.length)));
        return g.node("Div", List.of(centered, g.constant("scale_divisor", divisor, divisor.length)));
    }

    private String layer(Module layer, String x, int[] shape, String where) {
        return switch (layer) {
            case Linear l -> linear(l, x, shape);
            case Conv2d c -> {
                int[] p = c.padding();
                String w = weight(c.weight());
                List<String> in = c.bias() == null ? List.of(x, w) : List.of(x, w, weight(c.bias()));
                int[] k = {c.weight().size(2), c.weight().size(3)};
                yield g.node("Conv", in, Attribute.ofInts("kernel_shape", k), Attribute.ofInts("strides", c.stride()),
                        Attribute.ofInts("pads", p[0], p[1], p[0], p[1]), Attribute.ofInts("dilations", c.dilation()), Attribute.ofInt("group", c.groups()));
            }
            case MaxPool2d m -> g.node("MaxPool", List.of(x), Attribute.ofInts("kernel_shape", m.kernel()), Attribute.ofInts("strides", m.stride()),
                    pads(m.padding()));
            case AvgPool2d a -> g.node("AveragePool", List.of(x), Attribute.ofInts("kernel_shape", a.kernel()), Attribute.ofInts("strides", a.stride()),
                    pads(a.padding()), Attribute.ofInt("count_include_pad", 1));
            case BatchNorm b -> batchNorm(b, x, where);
            case LayerNorm n -> {
                int k = n.normalizedShape().length;
                Tensor ones = Tensor.ones(n.normalizedShape()), zeros = Tensor.zeros(n.normalizedShape());
                String scale = weight(n.elementwiseAffine() ? n.namedParameters().get("weight") : ones);
                String bias = weight(n.elementwiseAffine() ? n.namedParameters().get("bias") : zeros);
                yield g.node("LayerNormalization", List.of(x, scale, bias), Attribute.ofInt("axis", -k), Attribute.ofFloat("epsilon", n.eps()));
            }
            case Dropout d -> g.node("Identity", List.of(x));
            case Flatten f -> {
                int start = f.startDim() < 0 ? f.startDim() + shape.length + 1 : f.startDim();
                if (start == 1) yield g.node("Flatten", List.of(x), Attribute.ofInt("axis", 1));
                long[] target = new long[start + 1];
                target[start] = -1;
                yield g.node("Reshape", List.of(x, g.longs("shape", target)));
            }
            case ReLU r -> g.node("Relu", List.of(x));
            case LeakyReLU r -> g.node("LeakyRelu", List.of(x), Attribute.ofFloat("alpha", r.negativeSlope()));
            case ELU e -> g.node("Elu", List.of(x), Attribute.ofFloat("alpha", e.alpha()));
            case Tanh t -> g.node("Tanh", List.of(x));
            case Sigmoid s -> g.node("Sigmoid", List.of(x));
            case Softmax s -> g.node("Softmax", List.of(x), Attribute.ofInt("axis", s.dim()));
            case LogSoftmax s -> g.node("LogSoftmax", List.of(x), Attribute.ofInt("axis", s.dim()));
            case SiLU s -> g.node("Mul", List.of(x, g.node("Sigmoid", List.of(x))));
            case GELU gelu -> gelu(gelu, x);
            case Softplus s -> {
                String bx = s.beta() == 1 ? x : g.node("Mul", List.of(x, g.scalar("beta", s.beta())));
                String smooth = g.node("Softplus", List.of(bx));
                if (s.beta() != 1) smooth = g.node("Div", List.of(smooth, g.scalar("beta", s.beta())));
                String above = g.node("Greater", List.of(bx, g.scalar("threshold", s.threshold())));
                yield g.node("Where", List.of(above, x, smooth));
            }
            case Embedding e -> {
                // Descent's indices are float tensors holding whole numbers; ONNX's Gather wants int64.
                String index = tokens && x.equals(INPUT) ? x : g.node("Cast", List.of(x), Attribute.ofInt("to", 7));
                // With max_norm the table as every lookup reads it (its rows renormalized): the same values, no renorm op needed.
                yield g.node("Gather", List.of(weight(e.lookupTable()), index), Attribute.ofInt("axis", 0));
            }
            case PositionalEmbedding p -> sequence.positional(p, x);
            case TransformerEncoder t -> sequence.encoder(t, x);
            case TransformerEncoderLayer t -> sequence.encoderLayer(t, x, null);
            case MultiheadAttention m -> sequence.attention(m, x, null);
            case LastStep l -> sequence.lastStep(x);
            case MeanPool m -> sequence.meanPool(x);
            case Recurrent r -> recurrent.layer(r, x);
            case Sequential s -> {
                String y = x;
                int[] in = shape;
                for (int i = 0; i < s.size(); i++) {
                    Module inner = s.get(i);
                    int[] out = outputShape(inner, in);
                    y = layer(inner, y, in, where + "[" + i + "] (" + inner.getClass().getSimpleName() + ")");
                    in = out;
                }
                yield y;
            }
            default -> throw new IllegalArgumentException(where + ": ONNX export has no form for this layer (export handles Linear, Conv2d, "
                    + "pooling, BatchNorm, LayerNorm, Dropout, Flatten, Embedding, the sequence and recurrent layers and the activations)");
        };
    }

    private String linear(Linear l, String x, int[] shape) {
        String bias = l.bias() == null ? null : weight(l.bias());
        if (shape.length == 1) {
            String w = weight(l.weight());
            List<String> in = bias == null ? List.of(x, w) : List.of(x, w, bias);
            return g.node("Gemm", in, Attribute.ofInt("transB", 1));
        }
        // Gemm takes matrices only: a Linear over [batch, ..., in] is a MatMul by W^T, then the bias.
        String y = g.node("MatMul", List.of(x, weight(l.weight().transpose(0, 1).contiguous())));
        return bias == null ? y : g.node("Add", List.of(y, bias));
    }

    private String batchNorm(BatchNorm b, String x, String where) {
        if (!b.options().trackRunningStats()) {
            throw new IllegalArgumentException(where + ": batch norm without running statistics normalizes by each batch's own statistics "
                    + "even in evaluation, which has no ONNX form");
        }
        Map<String, Tensor> p = b.namedParameters(), buffers = b.namedBuffers();
        int c = b.numFeatures();
        String scale = weight(b.options().affine() ? p.get("weight") : Tensor.ones(c));
        String bias = weight(b.options().affine() ? p.get("bias") : Tensor.zeros(c));
        return g.node("BatchNormalization", List.of(x, scale, bias, weight(buffers.get("running_mean")), weight(buffers.get("running_var"))),
                Attribute.ofFloat("epsilon", b.options().eps()));
    }

    private String gelu(GELU gelu, String x) {
        String inner;
        if (gelu.approximation() == GELU.Approximation.NONE) {
            inner = g.node("Erf", List.of(g.node("Div", List.of(x, g.scalar("sqrt2", Math.sqrt(2))))));
        } else {
            String cube = g.node("Mul", List.of(x, g.node("Mul", List.of(x, x))));
            String sum = g.node("Add", List.of(x, g.node("Mul", List.of(cube, g.scalar("c", 0.044715)))));
            inner = g.node("Tanh", List.of(g.node("Mul", List.of(sum, g.scalar("sqrt_2_over_pi", Math.sqrt(2 / Math.PI))))));
        }
        String onePlus = g.node("Add", List.of(inner, g.scalar("one", 1)));
        return g.node("Mul", List.of(g.node("Mul", List.of(x, g.scalar("half", 0.5))), onePlus));
    }

    private static Attribute pads(int[] p) {
        return Attribute.ofInts("pads", p[0], p[1], p[0], p[1]);
    }

    private String weight(Tensor t) {
        return g.constant("w", t.contiguous().toFloatArray(), t.shape());
    }

    /** Whether a sequence model also runs on one token fewer than its example shape's T. */
    private static boolean acceptsAnotherLength(Sequential model, int[] shape) {
        if (shape.length != 1 || shape[0] < 2) return false;
        try {
            model.forward(Tensor.zeros(1, shape[0] - 1));
            return true;
        } catch (RuntimeException e) {
            return false; // a layer needs exactly T positions (a Flatten into a Linear, say): T stays fixed
        }
    }

    /** The output shape with {@link OnnxGraph#TIME} where it follows the input's length (it differs for T - 1 tokens). */
    private static int[] withTime(Sequential model, int[] in, int[] out) {
        int[] shorter = model.forward(Tensor.zeros(1, in[0] - 1)).shape();
        int[] marked = out.clone();
        for (int i = 0; i < marked.length; i++) if (shorter[i + 1] != out[i]) marked[i] = OnnxGraph.TIME;
        return marked;
    }

    /** One example's shape after the layer, from a forward pass over one zero example. */
    private static int[] outputShape(Module layer, int[] shape) {
        int[] batch = new int[shape.length + 1];
        batch[0] = 1;
        System.arraycopy(shape, 0, batch, 1, shape.length);
        int[] out = layer.forward(Tensor.zeros(batch)).shape();
        return Arrays.copyOfRange(out, 1, out.length);
    }
}
