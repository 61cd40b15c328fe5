package dev.descent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad text data and sequence-model entries: one line naming the culprit, exit code 2, no run directory. */
class TextErrorsTest {
    @TempDir Path dir;

    private static final String BASE = """
            seed: 0
            data: {train: {text: train.txt}, validation: {text: valid.txt}, tokenizer: char, block_size: 8}
            model: [embedding: 8, positional_embedding: {max_len: 8}, transformer_encoder: {heads: 2, causal: true, dropout: 0.0}, linear: vocab]
            loss: cross_entropy
            optimizer: {name: adamw, lr: 0.003}
            train: {epochs: 1, batch_size: 4}
            """;

    private Cli.Result train(String yaml, String trainText, String validText) throws IOException {
        Files.writeString(dir.resolve("train.txt"), trainText);
        Files.writeString(dir.resolve("valid.txt"), validText);
        Path config = Cli.write(dir, "run.yaml", yaml);
        return Cli.run("train", config.toString(), "--quiet", "--out", dir.resolve("out").toString());
    }

    private void assertOneLine(Cli.Result r, String... fragments) {
        assertEquals(2, r.code(), r.err());
        String err = r.errorLines();
        assertEquals(1, err.lines().count(), "one line expected:\n" + err);
        assertFalse(err.contains("\tat ") || err.contains("Exception"), "no stack trace: " + err);
        for (String f : fragments) assertTrue(err.contains(f), "'" + f + "' expected in: " + err);
        assertFalse(Files.exists(dir.resolve("out/metrics.jsonl")), "nothing written");
    }

    private static final String TEXT = "in the beginning god created the heaven and the earth\n".repeat(4);

    @Test
    void aValidationCharacterOutsideTheVocabularyIsNamed() throws IOException {
        assertOneLine(train(BASE, TEXT, "the heaven\nand the Earth\n"), "valid.txt", "line 2", "'E'", "not in the vocabulary");
    }

    @Test
    void aTextShorterThanOneWindow() throws IOException {
        assertOneLine(train(BASE, TEXT, "the end"), "valid.txt", "7 tokens", "block_size 8");
    }

    @Test
    void blockSizeIsRequired() throws IOException {
        assertOneLine(train(BASE.replace(", block_size: 8", ""), TEXT, TEXT), "data.block_size", "required");
    }

    @Test
    void aLanguageModelMustEndInTheVocabulary() throws IOException {
        assertOneLine(train(BASE.replace("linear: vocab]", "linear: 5]"), TEXT, TEXT), "model", "end it with linear: vocab");
    }

    @Test
    void headsMustDivideTheWidth() throws IOException {
        assertOneLine(train(BASE.replace("heads: 2", "heads: 3"), TEXT, TEXT), "transformer_encoder", "heads");
    }

    @Test
    void vocabNeedsTextData() throws IOException {
        Files.writeString(dir.resolve("t.csv"), "a,b,y\n1,2,0\n2,1,1\n");
        Path config = Cli.write(dir, "run.yaml", "data: {train: t.csv}\nmodel: [embedding: 4]\nloss: cross_entropy\noptimizer: {name: sgd, lr: 0.1}\n");
        assertOneLine(Cli.run("train", config.toString(), "--quiet", "--out", dir.resolve("out").toString()), "embedding", "vocab", "required");
    }

    @Test
    void positionsShorterThanTheSequence() throws IOException {
        assertOneLine(train(BASE.replace("max_len: 8", "max_len: 4"), TEXT, TEXT), "max_len", "shorter than the sequences");
    }
}
