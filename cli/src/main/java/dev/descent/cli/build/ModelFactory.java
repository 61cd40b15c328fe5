package dev.descent.cli.build;

import com.fasterxml.jackson.databind.JsonNode;
import dev.descent.cli.config.ConfigException;
import dev.descent.cli.config.Section;
import dev.descent.cli.config.Suggest;
import dev.descent.nn.Activations;
import dev.descent.nn.AvgPool2d;
import dev.descent.nn.BatchNorm1d;
import dev.descent.nn.BatchNorm2d;
import dev.descent.nn.Conv2d;
import dev.descent.nn.Dropout;
import dev.descent.nn.Flatten;
import dev.descent.nn.LayerNorm;
import dev.descent.nn.Linear;
import dev.descent.nn.MaxPool2d;
import dev.descent.nn.Module;
import dev.descent.nn.Sequential;
import dev.descent.tensor.Generator;
import dev.descent.tensor.GradMode;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds the {@link Sequential} of a config's {@code model:} list. Each entry is a layer name
 * ({@code relu}, {@code flatten}) or a one-key mapping from the name to its size or options
 * ({@code linear: 32}, {@code conv2d: {out: 32, kernel: 3}}). Entries map onto Sequential's
 * indices one to one, activations included, so {@code 0.weight} of a PyTorch
 * {@code nn.Sequential} state dict loads onto the first entry.
 *
 * <p>Input sizes are never written in the config: after each layer is built, a dry forward of a
 * two-example batch of zeros (in evaluation mode, without recording) gives the shape the next
 * layer receives, so {@code linear}'s in_features and the norms' feature counts come from the
 * data. A layer that cannot take the shape it receives is reported with its position.
 */
public final class ModelFactory {
    /** Every layer name the model list accepts. */
    public static final List<String> LAYERS = List.of("linear", "conv2d", "maxpool2d", "avgpool2d", "flatten", "dropout",
            "batchnorm1d", "batchnorm2d", "layernorm", "relu", "leaky_relu", "elu", "gelu", "gelu_tanh", "silu", "softplus",
            "tanh", "sigmoid", "softmax", "log_softmax", "embedding", "positional_embedding", "transformer_encoder", "lstm", "gru", "rnn", "last_step", "mean_pool");

    private ModelFactory() {}

    /**
     * The model for examples of shape {@code inputShape} (without the batch dimension), parameters
     * initialised as PyTorch does from {@code gen}, layer by layer in list order.
     */
    public static Sequential build(JsonNode list, int[] inputShape, Generator gen) {
        return build(list, inputShape, 0, gen);
    }

    /**
     * The model for examples of shape {@code inputShape}; {@code vocabulary} is the tokenizer's
     * vocabulary size for text data (what {@code embedding: D} and {@code linear: vocab} use), 0
     * for other data.
     */
    public static Sequential build(JsonNode list, int[] inputShape, int vocabulary, Generator gen) {
        if (list == null || list.isNull()) throw new ConfigException("model: required (a list of layers, e.g. [linear: 32, relu, linear: 10])");
        if (!list.isArray() || list.isEmpty()) throw new ConfigException("model: expected a non-empty list of layers, e.g. [linear: 32, relu, linear: 10]");
        List<Module> layers = new ArrayList<>();
        int[] shape = inputShape.clone();
        for (int i = 0; i < list.size(); i++) {
            String where = "model[" + i + "]";
            JsonNode entry = list.get(i);
            String name;
            JsonNode arg;
            if (entry.isTextual()) {
                name = entry.asText();
                arg = null;
            } else if (entry.isObject() && entry.size() == 1) {
                name = entry.fieldNames().next();
                arg = entry.get(name);
            } else {
                throw new ConfigException(where + ": expected a layer name or a one-key mapping such as 'linear: 32'");
            }
            if (!LAYERS.contains(name)) {
                throw new ConfigException(where + ": unknown layer '" + name + "'" + Suggest.hint(name, LAYERS) + " (choose from " + String.join(", ", LAYERS) + ")");
            }
            Module layer = layer(where + " (" + name + ")", name, arg, shape, vocabulary, gen);
            shape = traceShape(where + " (" + name + ")", layer, shape);
            layers.add(layer);
        }
        return Sequential.of(layers);
    }

    /** The per-example output shape of the whole model, for messages and run.json. */
    public static int[] outputShape(Module model, int[] inputShape) {
        return traceShape("model", model, inputShape);
    }

    @SuppressWarnings("try") // the scope only switches recording off
    private static int[] traceShape(String where, Module layer, int[] shape) {
        int[] batch = new int[shape.length + 1];
        batch[0] = 2;
        System.arraycopy(shape, 0, batch, 1, shape.length);
        boolean training = layer.isTraining();
        layer.eval();
        try (var scope = GradMode.noGrad()) {
            int[] out = layer.forward(Tensor.zeros(batch)).shape();
            return Arrays.copyOfRange(out, 1, out.length);
        } catch (IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException e) {
            throw new ConfigException(where + ": cannot take input of shape " + Arrays.toString(shape) + " per example: " + e.getMessage());
        } finally {
            layer.train(training);
        }
    }

    private static Module layer(String where, String name, JsonNode arg, int[] shape, int vocabulary, Generator gen) {
        try {
            return switch (name) {
                case "linear" -> {
                    // [F] rows, or [T, F] sequences (applied to every position, as PyTorch does)
                    if (shape.length != 1 && shape.length != 2) requireRank(where, shape, 1, "add 'flatten' before it");
                    Section s = options(where, arg, "out");
                    int out = s.has("out") && s.raw("out").isTextual() ? vocabularyOption(s, "out", vocabulary) : positive(s, "out");
                    boolean bias = s.bool("bias", true);
                    s.finish();
                    yield Linear.of(shape[shape.length - 1], out, bias, gen);
                }
                case "embedding", "positional_embedding", "transformer_encoder", "lstm", "gru", "rnn", "last_step", "mean_pool" ->
                        SequenceLayers.layer(where, name, arg, shape, vocabulary, gen);
                case "conv2d" -> {
                    requireRank(where, shape, 3, "it needs [channels, height, width] examples");
                    Section s = options(where, arg, "out");
                    int out = positive(s, "out");
                    int kernel = positive(s, "kernel");
                    int stride = s.integer("stride", 1), padding = s.integer("padding", 0);
                    boolean bias = s.bool("bias", true);
                    s.finish();
                    int[] one = {1, 1};
                    yield Conv2d.of(shape[0], out, new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding}, one, 1, bias, gen);
                }
                case "maxpool2d", "avgpool2d" -> {
                    Section s = options(where, arg, "kernel");
                    int kernel = positive(s, "kernel");
                    int stride = s.integer("stride", kernel), padding = s.integer("padding", 0);
                    s.finish();
                    yield name.equals("maxpool2d") ? MaxPool2d.of(kernel, stride, padding) : AvgPool2d.of(kernel, stride, padding);
                }
                case "flatten" -> {
                    Section s = options(where, arg, "start_dim");
                    int start = s.integer("start_dim", 1);
                    s.finish();
                    yield Flatten.of(start);
                }
                case "dropout" -> {
                    Section s = options(where, arg, "p");
                    double p = s.number("p", 0.5);
                    s.finish();
                    yield Dropout.of(p);
                }
                case "batchnorm1d" -> {
                    noOptions(where, arg);
                    yield BatchNorm1d.of(shape[0]);
                }
                case "batchnorm2d" -> {
                    noOptions(where, arg);
                    requireRank(where, shape, 3, "it needs [channels, height, width] examples");
                    yield BatchNorm2d.of(shape[0]);
                }
                case "layernorm" -> {
                    noOptions(where, arg);
                    yield LayerNorm.of(shape[shape.length - 1]);
                }
                case "leaky_relu" -> {
                    Section s = options(where, arg, "negative_slope");
                    double slope = s.number("negative_slope", 0.01);
                    s.finish();
                    yield Activations.leakyRelu(slope);
                }
                case "elu" -> {
                    Section s = options(where, arg, "alpha");
                    double alpha = s.number("alpha", 1.0);
                    s.finish();
                    yield Activations.elu(alpha);
                }
                case "softplus" -> {
                    Section s = options(where, arg, "beta");
                    double beta = s.number("beta", 1.0), threshold = s.number("threshold", 20.0);
                    s.finish();
                    yield Activations.softplus(beta, threshold);
                }
                case "softmax", "log_softmax" -> {
                    // dim 1 is the class dimension of [N, C] outputs, the only sensible default here.
                    Section s = options(where, arg, "dim");
                    int dim = s.integer("dim", 1);
                    s.finish();
                    yield name.equals("softmax") ? Activations.softmax(dim) : Activations.logSoftmax(dim);
                }
                default -> {
                    noOptions(where, arg);
                    yield switch (name) {
                        case "relu" -> Activations.relu();
                        case "gelu" -> Activations.gelu();
                        case "gelu_tanh" -> Activations.geluTanh();
                        case "silu" -> Activations.silu();
                        case "tanh" -> Activations.tanh();
                        case "sigmoid" -> Activations.sigmoid();
                        default -> throw new IllegalStateException("layer table and switch disagree on " + name);
                    };
                }
            };
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": " + e.getMessage());
        }
    }

    /** {@code vocab}: the tokenizer's vocabulary size (the only word a size option accepts). */
    static int vocabularyOption(Section s, String key, int vocabulary) {
        String v = s.raw(key).asText();
        if (!v.equals("vocab")) throw new ConfigException(s.name(key) + ": expected a number or 'vocab', got '" + v + "'");
        if (vocabulary < 1) throw new ConfigException(s.name(key) + ": 'vocab' needs text data (data.train: {text: FILE}), which has a tokenizer");
        s.raw(key);
        return vocabulary;
    }

    /** The options of a layer: a bare number is its main option ({@code linear: 32} is {@code {out: 32}}). */
    static Section options(String where, JsonNode arg, String mainKey) {
        if (arg == null || arg.isNull()) return new Section(where, null);
        if (arg.isValueNode()) {
            var node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            node.set(mainKey, arg);
            return new Section(where, node);
        }
        return new Section(where, arg);
    }

    static void noOptions(String where, JsonNode arg) {
        if (arg != null && !arg.isNull() && !(arg.isObject() && arg.isEmpty())) {
            throw new ConfigException(where + ": takes no options (write it as a plain name)");
        }
    }

    static int positive(Section s, String key) {
        if (!s.has(key)) throw new ConfigException(s.name(key) + ": required");
        int v = s.integer(key, 0);
        if (v < 1) throw new ConfigException(s.name(key) + ": must be at least 1, got " + v);
        return v;
    }

    static void requireRank(String where, int[] shape, int rank, String hint) {
        if (shape.length != rank) {
            throw new ConfigException(where + ": receives examples of shape " + Arrays.toString(shape) + ", expected " + rank
                    + " dimension" + (rank == 1 ? "" : "s") + "; " + hint);
        }
    }
}
