package dev.descent.cli.build;

import com.fasterxml.jackson.databind.JsonNode;
import dev.descent.cli.config.ConfigException;
import dev.descent.cli.config.RowReader;
import dev.descent.cli.config.Section;
import dev.descent.nn.LayerRegistry;
import dev.descent.nn.Module;
import dev.descent.nn.Sequential;
import dev.descent.registry.Row;
import dev.descent.registry.Values;
import dev.descent.tensor.Generator;
import dev.descent.tensor.GradMode;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

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
            Row<LayerRegistry.Input, Module> row = RowReader.row(LayerRegistry.REGISTRY, name, where);
            Module layer = layer(where + " (" + name + ")", row, arg, shape, vocabulary, gen);
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

    /**
     * One entry through its {@link LayerRegistry} row: the input's rank checked, then the options
     * read (a layer without options accepts none), then the layer made.
     */
    private static Module layer(String where, Row<LayerRegistry.Input, Module> row, JsonNode arg, int[] shape, int vocabulary, Generator gen) {
        if (row.options().isEmpty()) noOptions(where, arg);
        try {
            LayerRegistry.checkInput(row.name(), shape);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": " + e.getMessage());
        }
        Section s = options(where, arg, row.options().isEmpty() ? null : row.options().get(0).name());
        Values values = RowReader.read(s, row, "layer", Set.of());
        s.finish();
        return RowReader.make(row, new LayerRegistry.Input(shape, vocabulary, gen), values, s, where);
    }

    /** The options of a layer: a bare number is its main option ({@code linear: 32} is {@code {out: 32}}). */
    private static Section options(String where, JsonNode arg, String mainKey) {
        if (arg == null || arg.isNull()) return new Section(where, null);
        if (arg.isValueNode()) {
            var node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            node.set(mainKey, arg);
            return new Section(where, node);
        }
        return new Section(where, arg);
    }

    private static void noOptions(String where, JsonNode arg) {
        if (arg != null && !arg.isNull() && !(arg.isObject() && arg.isEmpty())) {
            throw new ConfigException(where + ": takes no options (write it as a plain name)");
        }
    }
}
