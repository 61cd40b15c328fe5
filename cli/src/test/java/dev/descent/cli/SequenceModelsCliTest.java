package dev.descent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recurrent models from the command line: an LSTM language model that learns a repeating text
 * and continues it with {@code descent generate} (deterministic for a seed), and a GRU that
 * classifies token sequences from a CSV through {@code embedding}, {@code gru} and
 * {@code last_step}.
 */
class SequenceModelsCliTest {
    @TempDir Path dir;

    private static final String LM = """
            seed: 1
            data: {train: {text: train.txt}, validation_split: 0.1, tokenizer: char, block_size: 8}
            model: [embedding: 16, lstm: {hidden: 32, layers: 2, dropout: 0.1}, linear: vocab]
            loss: cross_entropy
            optimizer: {name: adam, lr: 0.02}
            train: {epochs: 12, batch_size: 8}
            metrics: [perplexity, accuracy]
            """;

    @Test
    void anLstmLanguageModelLearnsARepeatingTextAndGenerateContinuesIt() throws IOException {
        Files.writeString(dir.resolve("train.txt"), "the cat sat. ".repeat(40));
        Path run = dir.resolve("lm");
        var r = Cli.run("train", Cli.write(dir, "lm.yaml", LM).toString(), "--out", run.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        List<JsonNode> epochs = TrainCommandTest.lines(run.resolve("metrics.jsonl"), "epoch");
        JsonNode last = epochs.get(epochs.size() - 1);
        // Within a window the text is deterministic once a few characters fix the phase of its
        // 13-character cycle; a window's first characters leave it open ('t' starts "the" and
        // ends "cat" and "sat"), so accuracy stays a little below 1. Unigram guessing gets 0.23.
        assertTrue(last.get("val_accuracy").asDouble() > 0.85, last.toString());
        assertTrue(last.get("val_perplexity").asDouble() < 1.5, last.toString());
        // val_loss is the float32 loss, perplexity sums in double: they agree to float32 rounding (6e-8 relative)
        double ppl = last.get("val_perplexity").asDouble();
        assertEquals(Math.exp(last.get("val_loss").asDouble()), ppl, 1e-6 * ppl);

        var greedy = Cli.run("generate", run.toString(), "--prompt", "the c", "--tokens", "20", "--temperature", "0");
        assertEquals(0, greedy.code(), greedy.err());
        assertEquals("the cat sat. the cat sat.", greedy.out().strip());

        var a = Cli.run("generate", run.toString(), "--prompt", "sat", "--tokens", "40", "--seed", "7", "--temperature", "2");
        var b = Cli.run("generate", run.toString(), "--prompt", "sat", "--tokens", "40", "--seed", "7", "--temperature", "2");
        var c = Cli.run("generate", run.toString(), "--prompt", "sat", "--tokens", "40", "--seed", "8", "--temperature", "2");
        assertEquals(0, a.code(), a.err());
        assertEquals(a.out(), b.out(), "same seed, same text");
        assertNotEquals(a.out(), c.out(), "another seed, at temperature 2, another text");
        assertEquals(43, a.out().strip().length());

        var eval = Cli.run("eval", run.toString());
        assertEquals(2, eval.code());
        assertTrue(eval.errorLines().contains("a language model (text data); eval reads CSV or IDX rows"), eval.errorLines());

        var unknown = Cli.run("generate", run.toString(), "--prompt", "dog", "--tokens", "5");
        assertEquals(2, unknown.code());
        assertTrue(unknown.errorLines().contains("--prompt: line 1: character 'd'"), unknown.errorLines());
    }

    @Test
    void aGruClassifiesSequencesFromACsv() throws IOException {
        // label: whether the sequence holds a 1 directly followed by a 2 (order matters: a bag of tokens cannot tell)
        Random rnd = new Random(3);
        StringBuilder csv = new StringBuilder("t0,t1,t2,t3,t4,t5,label\n");
        for (int i = 0; i < 600; i++) {
            int[] s = new int[6];
            for (int k = 0; k < 6; k++) s[k] = rnd.nextInt(4);
            if (i % 2 == 0) {
                int at = rnd.nextInt(5);
                s[at] = 1;
                s[at + 1] = 2;
            }
            boolean has = false;
            for (int k = 0; k < 5; k++) has |= s[k] == 1 && s[k + 1] == 2;
            for (int v : s) csv.append(v).append(',');
            csv.append(has ? "yes" : "no").append('\n');
        }
        Files.writeString(dir.resolve("seq.csv"), csv);
        Path config = Cli.write(dir, "cls.yaml", """
                seed: 0
                data: {train: seq.csv, validation_split: 0.2, target: label}
                model: [embedding: {dim: 8, vocab: 4}, gru: {hidden: 16}, last_step, linear: 2]
                loss: cross_entropy
                optimizer: {name: adam, lr: 0.01}
                train: {epochs: 20, batch_size: 32}
                metrics: [accuracy]
                """);
        Path run = dir.resolve("cls");
        var r = Cli.run("train", config.toString(), "--out", run.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        List<JsonNode> epochs = TrainCommandTest.lines(run.resolve("metrics.jsonl"), "epoch");
        assertTrue(epochs.get(epochs.size() - 1).get("val_accuracy").asDouble() > 0.9, epochs.get(epochs.size() - 1).toString());

        var notLm = Cli.run("generate", run.toString(), "--prompt", "1", "--tokens", "5");
        assertEquals(2, notLm.code());
        assertTrue(notLm.errorLines().contains("not a language model"), notLm.errorLines());
    }
}
