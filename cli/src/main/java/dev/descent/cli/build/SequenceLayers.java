package dev.descent.cli.build;

import com.fasterxml.jackson.databind.JsonNode;
import dev.descent.cli.config.ConfigException;
import dev.descent.cli.config.Section;
import dev.descent.nn.Embedding;
import dev.descent.nn.GRU;
import dev.descent.nn.LSTM;
import dev.descent.nn.RNN;
import dev.descent.nn.LastStep;
import dev.descent.nn.MeanPool;
import dev.descent.nn.Module;
import dev.descent.nn.PositionalEmbedding;
import dev.descent.nn.TransformerEncoder;
import dev.descent.nn.TransformerEncoderLayer;
import dev.descent.tensor.Generator;
import java.util.ArrayList;
import java.util.List;

/**
 * The model entries of sequence models, for {@link ModelFactory}:
 *
 * <ul>
 *   <li>{@code embedding: D} or {@code {dim: D, vocab: V, padding_idx: i, max_norm: m}}: token ids
 *       [T] to vectors [T, D]; V defaults to the tokenizer's vocabulary size (text data) and is
 *       required otherwise (token ids in a CSV);
 *   <li>{@code positional_embedding: {max_len: M}} (or {@code positional_embedding: M}): learned
 *       positions [M, D] added to the first T positions;
 *   <li>{@code transformer_encoder: {layers, heads, ff, activation, norm_first, causal, dropout}}:
 *       a stack of PyTorch's TransformerEncoderLayer; defaults layers 1, ff 4 D, activation relu,
 *       norm_first false, causal false, dropout 0.1 (PyTorch's defaults, ff aside, whose 2048 is
 *       meant for D = 512). A language model needs {@code causal: true};
 *   <li>{@code lstm}, {@code gru}, {@code rnn}: {@code {hidden, layers, bidirectional, bias, dropout}}
 *       (and {@code nonlinearity: tanh | relu} for rnn), or {@code lstm: H}: PyTorch's recurrent
 *       layers, batch first, from zero initial states, giving the whole output sequence
 *       [T, D * H]; defaults 1 layer, one direction, biases, no dropout between layers;
 *   <li>{@code last_step}, {@code mean_pool}: [T, F] to [F], for sequence classification.
 * </ul>
 */
final class SequenceLayers {
    private SequenceLayers() {}

    static Module layer(String where, String name, JsonNode arg, int[] shape, int vocabulary, Generator gen) {
        switch (name) {
            case "embedding" -> {
                ModelFactory.requireRank(where, shape, 1, "it needs [time] token ids per example");
                Section s = ModelFactory.options(where, arg, "dim");
                int dim = ModelFactory.positive(s, "dim");
                int vocab;
                if (s.has("vocab")) {
                    vocab = s.raw("vocab").isTextual() ? ModelFactory.vocabularyOption(s, "vocab", vocabulary) : ModelFactory.positive(s, "vocab");
                } else if (vocabulary > 0) {
                    vocab = vocabulary;
                } else {
                    throw new ConfigException(s.name("vocab") + ": required without text data (the number of distinct token ids)");
                }
                int padding = s.integer("padding_idx", -1);
                double maxNorm = s.has("max_norm") ? s.number("max_norm", 0) : Double.NaN;
                s.finish();
                return Embedding.of(vocab, dim, padding, maxNorm, gen);
            }
            case "positional_embedding" -> {
                ModelFactory.requireRank(where, shape, 2, "it needs [time, features] per example (put it after embedding)");
                Section s = ModelFactory.options(where, arg, "max_len");
                int maxLen = ModelFactory.positive(s, "max_len");
                s.finish();
                if (shape[0] > maxLen) throw new ConfigException(s.name("max_len") + ": " + maxLen + " is shorter than the sequences (" + shape[0] + ")");
                return PositionalEmbedding.of(maxLen, shape[1], gen);
            }
            case "transformer_encoder" -> {
                ModelFactory.requireRank(where, shape, 2, "it needs [time, features] per example (put it after embedding)");
                Section s = ModelFactory.options(where, arg, "layers");
                int d = shape[1];
                int layers = s.has("layers") ? ModelFactory.positive(s, "layers") : 1;
                int heads = ModelFactory.positive(s, "heads");
                int ff = s.has("ff") ? ModelFactory.positive(s, "ff") : 4 * d;
                String activation = s.choice("activation", "relu", List.of("relu", "gelu"));
                boolean normFirst = s.bool("norm_first", false), causal = s.bool("causal", false);
                double dropout = s.number("dropout", 0.1);
                s.finish();
                if (d % heads != 0) throw new ConfigException(s.name("heads") + ": " + heads + " heads do not divide the width " + d);
                List<TransformerEncoderLayer> stack = new ArrayList<>();
                for (int i = 0; i < layers; i++) stack.add(TransformerEncoderLayer.of(d, heads, ff, dropout, activation, normFirst, gen));
                return TransformerEncoder.of(stack, causal);
            }
            case "lstm", "gru", "rnn" -> {
                ModelFactory.requireRank(where, shape, 2, "it needs [time, features] per example (put it after embedding)");
                Section s = ModelFactory.options(where, arg, "hidden");
                int hidden = ModelFactory.positive(s, "hidden");
                int layers = s.has("layers") ? ModelFactory.positive(s, "layers") : 1;
                boolean bidirectional = s.bool("bidirectional", false), bias = s.bool("bias", true);
                double dropout = s.number("dropout", 0.0);
                String nonlinearity = name.equals("rnn") ? s.choice("nonlinearity", "tanh", List.of("tanh", "relu")) : null;
                s.finish();
                return switch (name) {
                    case "lstm" -> LSTM.of(shape[1], hidden, layers, bias, bidirectional, dropout, gen);
                    case "gru" -> GRU.of(shape[1], hidden, layers, bias, bidirectional, dropout, gen);
                    default -> RNN.of(shape[1], hidden, layers, nonlinearity, bias, bidirectional, dropout, gen);
                };
            }
            case "last_step", "mean_pool" -> {
                ModelFactory.noOptions(where, arg);
                ModelFactory.requireRank(where, shape, 2, "it needs [time, features] per example");
                return name.equals("last_step") ? new LastStep() : new MeanPool();
            }
            default -> throw new IllegalStateException("sequence layer table and switch disagree on " + name);
        }
    }
}
