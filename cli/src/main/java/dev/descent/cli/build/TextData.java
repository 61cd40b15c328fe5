package dev.descent.cli.build;

import com.fasterxml.jackson.databind.JsonNode;
import dev.descent.cli.config.ConfigException;
import dev.descent.cli.config.ConfigFile;
import dev.descent.cli.config.Section;
import dev.descent.cli.run.RunInfo;
import dev.descent.data.ByteTokenizer;
import dev.descent.data.CharTokenizer;
import dev.descent.data.DataException;
import dev.descent.data.TensorDataset;
import dev.descent.data.TextWindows;
import dev.descent.data.Tokenizer;
import dev.descent.loss.Loss;
import dev.descent.metric.Metric;
import dev.descent.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The text data of a language model: {@code data: {train: {text: F}, validation: {text: F} or
 * validation_split: f, test: {text: F}, tokenizer: char | byte, block_size: T}}. Files are read
 * as UTF-8, as they are (no newline translation). The char tokenizer's vocabulary is fitted on
 * the training text (its sorted distinct characters); a character of another text outside it is
 * an error naming the file, the line and the character. Each text becomes
 * {@link TextWindows}: consecutive non-overlapping windows of T tokens with their next-token
 * targets. {@code validation_split: f} holds out the last f of the training windows, in text
 * order (random windows would put the neighbours of every validation window in training).
 */
public final class TextData {
    private TextData() {}

    static DataFactory.Prepared prepare(ConfigFile config, Section data, LossFactory.Built loss, DataSelection selection) {
        if (!loss.name().equals("cross_entropy")) {
            throw new ConfigException("loss: text data trains a language model, which needs cross_entropy, not " + loss.name());
        }
        JsonNode trainNode = data.raw("train"), valNode = data.raw("validation"), testNode = data.raw("test");
        String kind = data.choice("tokenizer", "char", List.of("char", "byte"));
        if (!data.has("block_size")) throw new ConfigException("data.block_size: required for text data (the window length T)");
        int blockSize = data.integer("block_size", 0);
        double valSplit = data.number("validation_split", 0);
        data.finish();
        if (blockSize < 1) throw new ConfigException("data.block_size: must be at least 1, got " + blockSize);
        if (valSplit != 0 && valNode != null && !valNode.isNull()) throw new ConfigException("data: give validation or validation_split, not both");
        if (selection.holdout() != null) throw new ConfigException("cross-validation folds are not supported for text data; use validation or validation_split");

        String trainText = read(config, "data.train", trainNode);
        Tokenizer tokenizer = kind.equals("byte") ? ByteTokenizer.INSTANCE : CharTokenizer.fit(trainText);
        TensorDataset train = windows(config, "data.train", trainNode, trainText, tokenizer, blockSize);
        TensorDataset validation = null, test = null;
        if (valSplit != 0) {
            if (!(valSplit > 0 && valSplit < 1)) throw new ConfigException("data.validation_split: must be a fraction in (0, 1), got " + valSplit);
            int n = train.size(), held = (int) Math.round(n * valSplit);
            if (held == 0 || held == n) throw new ConfigException("data.validation_split: " + valSplit + " of " + n + " windows leaves one part empty");
            validation = train.range(n - held, n);
            train = train.range(0, n - held);
        } else if (valNode != null && !valNode.isNull()) {
            validation = windows(config, "data.validation", valNode, read(config, "data.validation", valNode), tokenizer, blockSize);
        }
        if (testNode != null && !testNode.isNull() && !selection.withoutTest()) {
            test = windows(config, "data.test", testNode, read(config, "data.test", testNode), tokenizer, blockSize);
        }
        RunInfo info = new RunInfo("text", null, null, new int[] {blockSize}, loss.task().name(), loss.name(), null,
                new RunInfo.ScalerParams("none", null, null, null, null, null), RunInfo.TextParams.of(tokenizer, blockSize));
        return new DataFactory.Prepared(train, validation, test, info);
    }

    /**
     * The loss of a language model on [B, T, V] logits and [B, T] targets: the loss of the
     * B * T rows, so cross-entropy's mean runs over every token, whatever T and V are (the core
     * loss takes PyTorch's reading when T == V).
     */
    public static Loss perToken(Loss loss) {
        return (outputs, targets) -> loss.apply(rows(outputs), targets.reshape(-1));
    }

    /** A metric on the B * T token rows of [B, T, V] outputs and [B, T] targets (perplexity, accuracy per token). */
    public static Metric perToken(Metric m) {
        return new Metric() {
            @Override public String name() { return m.name(); }
            @Override public boolean higherIsBetter() { return m.higherIsBetter(); }
            @Override public double compute(Tensor outputs, Tensor targets) {
                return m.compute(rows(outputs), targets.reshape(-1));
            }
        };
    }

    private static Tensor rows(Tensor outputs) {
        return outputs.reshape(-1, outputs.size(-1));
    }

    private static TensorDataset windows(ConfigFile config, String what, JsonNode node, String text, Tokenizer tokenizer, int blockSize) {
        String file = config.resolve(node.get("text").asText()).toString();
        return TextWindows.of(tokenizer.encode(text, file), blockSize, file);
    }

    /** The text of a {@code {text: F}} entry, strictly UTF-8. */
    static String read(ConfigFile config, String what, JsonNode node) {
        if (node == null || !node.isObject()) throw new ConfigException(what + ": the training data is text, so this must be {text: FILE} too");
        Section s = new Section(what, node);
        String name = s.requiredString("text");
        s.finish();
        return readFile(config.resolve(name));
    }

    static String readFile(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": file not found");
        } catch (CharacterCodingException e) {
            throw new DataException(file + ": not valid UTF-8 text");
        } catch (IOException e) {
            throw new DataException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }
}
