package dev.descent.nn;

import static dev.descent.registry.Option.bool;
import static dev.descent.registry.Option.choice;
import static dev.descent.registry.Option.computed;
import static dev.descent.registry.Option.count;
import static dev.descent.registry.Option.number;
import static dev.descent.registry.Option.required;
import static dev.descent.registry.Option.whole;

import dev.descent.registry.Option;
import dev.descent.registry.OptionException;
import dev.descent.registry.Options;
import dev.descent.registry.Registry;
import dev.descent.registry.Row;
import dev.descent.tensor.Generator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The layers by name, with PyTorch's option names and defaults ({@code torch.nn}'s modules): the
 * table the command line's {@code model:} list reads. A row makes its layer, through the layer's
 * public factory, for the per-example shape it receives ({@link Input}): input sizes
 * ({@code in_features}, a norm's feature count, a recurrent layer's {@code input_size}) come from
 * that shape, never from options.
 *
 * <p>A row's first option is its main one, the one a bare value gives ({@code linear: 32} is
 * {@code {out: 32}}). Options differing from PyTorch's: {@code transformer_encoder}'s {@code ff}
 * defaults to 4 times the width (PyTorch's 2048 is meant for a width of 512), {@code softmax}'s
 * and {@code log_softmax}'s {@code dim} to 1, the class dimension of {@code [N, C]} outputs
 * (PyTorch's implicit choice is deprecated).
 */
public final class LayerRegistry {
    private LayerRegistry() {}

    /**
     * What a row makes its layer for.
     *
     * @param shape      the shape of one example the layer receives (without the batch dimension)
     * @param vocabulary the tokenizer's vocabulary size for text data, 0 otherwise
     * @param gen        the generator that initialises the parameters, as PyTorch does
     */
    public record Input(int[] shape, int vocabulary, Generator gen) {
        public Input {
            shape = shape.clone();
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        int last() {
            return shape[shape.length - 1];
        }
    }

    /**
     * The ranks of example shapes a layer accepts, checked before its options are read.
     *
     * @param ranks the accepted ranks; messages name the first
     * @param hint  what to do about another rank, for messages
     */
    public record Needs(List<Integer> ranks, String hint) {
        static Needs rank(String hint, Integer... ranks) {
            return new Needs(List.of(ranks), hint);
        }

        /** Throws {@link IllegalArgumentException} when {@code shape}'s rank is not accepted. */
        public void check(int[] shape) {
            if (ranks.contains(shape.length)) return;
            int rank = ranks.get(0);
            throw new IllegalArgumentException("receives examples of shape " + Arrays.toString(shape) + ", expected " + rank + " dimension"
                    + (rank == 1 ? "" : "s") + "; " + hint);
        }
    }

    private static final Needs IMAGES = Needs.rank("it needs [channels, height, width] examples", 3);
    private static final Needs SEQUENCES = Needs.rank("it needs [time, features] per example (put it after embedding)", 2);
    private static final Map<String, Needs> NEEDS = new HashMap<>();

    public static final Registry<Input, Module> REGISTRY = Registry.of("layer",
            // [F] rows, or [T, F] sequences (applied to every position, as PyTorch does)
            layer("linear", Needs.rank("add 'flatten' before it", 1, 2), (in, o) -> Linear.of(in.last(), o.size("out", in.vocabulary()), o.bool("bias"), in.gen()),
                    required("out", Option.Type.SIZE), bool("bias", true)),
            layer("conv2d", IMAGES, (in, o) -> {
                        int[] one = {1, 1};
                        return Conv2d.of(in.shape()[0], o.whole("out"), square(o.whole("kernel")), square(o.whole("stride")), square(o.whole("padding")),
                                one, 1, o.bool("bias"), in.gen());
                    },
                    required("out", Option.Type.COUNT), required("kernel", Option.Type.COUNT), whole("stride", 1), whole("padding", 0), bool("bias", true)),
            layer("maxpool2d", null, (in, o) -> MaxPool2d.of(o.whole("kernel"), stride(o), o.whole("padding")), poolOptions()),
            layer("avgpool2d", null, (in, o) -> AvgPool2d.of(o.whole("kernel"), stride(o), o.whole("padding")), poolOptions()),
            layer("flatten", null, (in, o) -> Flatten.of(o.whole("start_dim")), whole("start_dim", 1)),
            layer("dropout", null, (in, o) -> Dropout.of(o.number("p")), number("p", 0.5)),
            layer("batchnorm1d", null, (in, o) -> BatchNorm1d.of(in.shape()[0])),
            layer("batchnorm2d", IMAGES, (in, o) -> BatchNorm2d.of(in.shape()[0])),
            layer("layernorm", null, (in, o) -> LayerNorm.of(in.last())),
            layer("relu", null, (in, o) -> Activations.relu()),
            layer("leaky_relu", null, (in, o) -> Activations.leakyRelu(o.number("negative_slope")), number("negative_slope", 0.01)),
            layer("elu", null, (in, o) -> Activations.elu(o.number("alpha")), number("alpha", 1.0)),
            layer("gelu", null, (in, o) -> Activations.gelu()),
            layer("gelu_tanh", null, (in, o) -> Activations.geluTanh()),
            layer("silu", null, (in, o) -> Activations.silu()),
            layer("softplus", null, (in, o) -> Activations.softplus(o.number("beta"), o.number("threshold")), number("beta", 1.0), number("threshold", 20.0)),
            layer("tanh", null, (in, o) -> Activations.tanh()),
            layer("sigmoid", null, (in, o) -> Activations.sigmoid()),
            layer("softmax", null, (in, o) -> Activations.softmax(o.whole("dim")), whole("dim", 1)),
            layer("log_softmax", null, (in, o) -> Activations.logSoftmax(o.whole("dim")), whole("dim", 1)),
            layer("embedding", Needs.rank("it needs [time] token ids per example", 1), LayerRegistry::embedding,
                    required("dim", Option.Type.COUNT),
                    computed("vocab", Option.Type.SIZE, "the tokenizer's vocabulary size; required without text data"),
                    computed("padding_idx", Option.Type.WHOLE, "none"), computed("max_norm", Option.Type.NUMBER, "none")),
            layer("positional_embedding", SEQUENCES, (in, o) -> {
                        int maxLen = o.whole("max_len");
                        if (in.shape()[0] > maxLen) throw new OptionException("max_len", maxLen + " is shorter than the sequences (" + in.shape()[0] + ")");
                        return PositionalEmbedding.of(maxLen, in.shape()[1], in.gen());
                    },
                    required("max_len", Option.Type.COUNT)),
            layer("transformer_encoder", SEQUENCES, LayerRegistry::transformer,
                    count("layers", 1), required("heads", Option.Type.COUNT), computed("ff", Option.Type.COUNT, "4 times the width"),
                    choice("activation", "relu", "relu", "gelu"), bool("norm_first", false), bool("causal", false), number("dropout", 0.1)),
            layer("lstm", SEQUENCES, (in, o) -> LSTM.of(in.shape()[1], o.whole("hidden"), o.whole("layers"), o.bool("bias"), o.bool("bidirectional"),
                    o.number("dropout"), in.gen()), recurrentOptions(false)),
            layer("gru", SEQUENCES, (in, o) -> GRU.of(in.shape()[1], o.whole("hidden"), o.whole("layers"), o.bool("bias"), o.bool("bidirectional"),
                    o.number("dropout"), in.gen()), recurrentOptions(false)),
            layer("rnn", SEQUENCES, (in, o) -> RNN.of(in.shape()[1], o.whole("hidden"), o.whole("layers"), o.text("nonlinearity"), o.bool("bias"),
                    o.bool("bidirectional"), o.number("dropout"), in.gen()), recurrentOptions(true)),
            layer("last_step", Needs.rank("it needs [time, features] per example", 2), (in, o) -> new LastStep()),
            layer("mean_pool", Needs.rank("it needs [time, features] per example", 2), (in, o) -> new MeanPool()));

    /**
     * Checks that a layer takes examples of this shape, before its options are read.
     *
     * @throws IllegalArgumentException when it does not, saying what to do
     */
    public static void checkInput(String name, int[] shape) {
        Needs needs = NEEDS.get(REGISTRY.require(name).name());
        if (needs != null) needs.check(shape);
    }

    /** A row whose factory first checks the input's rank against {@code needs} (none when null). */
    private static Row<Input, Module> layer(String name, Needs needs, Row.Factory<Input, Module> factory, Option... options) {
        if (needs != null) NEEDS.put(name, needs);
        return new Row<>(name, List.of(options), (in, o) -> {
            if (needs != null) needs.check(in.shape);
            return factory.make(in, o);
        });
    }

    private static int[] square(int v) {
        return new int[] {v, v};
    }

    private static Option[] poolOptions() {
        return new Option[] {required("kernel", Option.Type.COUNT), computed("stride", Option.Type.WHOLE, "kernel"), whole("padding", 0)};
    }

    private static int stride(Options o) {
        return o.given("stride") ? o.whole("stride") : o.whole("kernel");
    }

    /** {@code hidden, layers, bidirectional, bias, dropout}, and {@code nonlinearity} for the plain RNN. */
    private static Option[] recurrentOptions(boolean nonlinearity) {
        List<Option> all = new ArrayList<>(List.of(required("hidden", Option.Type.COUNT), count("layers", 1), bool("bidirectional", false),
                bool("bias", true), number("dropout", 0.0)));
        if (nonlinearity) all.add(choice("nonlinearity", "tanh", "tanh", "relu"));
        return all.toArray(Option[]::new);
    }

    private static Module embedding(Input in, Options o) {
        int vocab;
        if (o.given("vocab")) {
            vocab = o.size("vocab", in.vocabulary());
        } else if (in.vocabulary() > 0) {
            vocab = in.vocabulary();
        } else {
            throw new OptionException("vocab", "required without text data (the number of distinct token ids)");
        }
        int padding = o.given("padding_idx") ? o.whole("padding_idx") : -1;
        double maxNorm = o.given("max_norm") ? o.number("max_norm") : Double.NaN;
        return Embedding.of(vocab, o.whole("dim"), padding, maxNorm, in.gen());
    }

    private static Module transformer(Input in, Options o) {
        int d = in.shape()[1], heads = o.whole("heads");
        int ff = o.given("ff") ? o.whole("ff") : 4 * d;
        if (d % heads != 0) throw new OptionException("heads", heads + " heads do not divide the width " + d);
        List<TransformerEncoderLayer> stack = new ArrayList<>();
        for (int i = 0; i < o.whole("layers"); i++) {
            stack.add(TransformerEncoderLayer.of(d, heads, ff, o.number("dropout"), o.text("activation"), o.bool("norm_first"), in.gen()));
        }
        return TransformerEncoder.of(stack, o.bool("causal"));
    }
}
