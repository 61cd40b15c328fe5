package dev.descent.cli;

import dev.descent.cli.config.ConfigException;
import dev.descent.cli.run.TrainedModel;
import dev.descent.data.Tokenizer;
import dev.descent.tensor.Generator;
import dev.descent.tensor.GradMode;
import dev.descent.tensor.Tensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code descent generate RUN_DIR --prompt TEXT --tokens N}: samples N tokens from a trained
 * language model and prints the prompt followed by them. Each token is drawn from
 * {@code softmax(logits / temperature)} of the model's last position, restricted to the
 * {@code top_k} most likely tokens when given (ties broken by the lower id), the context being
 * the last {@code block_size} tokens; temperature 0 takes the most likely token. The draws come
 * from a generator seeded by {@code --seed}, so the same seed gives the same text.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Sample text from a trained language model (a run on text data).")
public final class GenerateCommand implements Callable<Integer> {
    @picocli.CommandLine.Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run directory of a language model written by 'descent train'.")
    Path runDir;

    @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "The text to continue (at least one token).")
    String prompt;

    @Option(names = "--tokens", required = true, paramLabel = "N", description = "How many tokens to generate.")
    int tokens;

    @Option(names = "--temperature", paramLabel = "T", description = "Divides the logits before sampling (default 1.0; 0 = always the most likely token).")
    double temperature = 1.0;

    @Option(names = "--top_k", paramLabel = "K", description = "Sample among the K most likely tokens only (default: all).")
    Integer topK;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the sampling (default 0).")
    long seed;

    @Mixin
    CheckpointOption checkpoint;

    @Mixin
    ThreadsOption threads;

    @Override
    @SuppressWarnings("try") // the scope only switches recording off
    public Integer call() throws Exception {
        threads.apply();
        if (tokens < 0) throw new ConfigException("--tokens: must be at least 0, got " + tokens);
        if (!(temperature >= 0) || Double.isInfinite(temperature)) throw new ConfigException("--temperature: must be a number >= 0, got " + temperature);
        if (topK != null && topK < 1) throw new ConfigException("--top_k: must be at least 1, got " + topK);
        TrainedModel run = checkpoint.load(runDir);
        if (run.info().text() == null) throw new ConfigException(runDir + ": not a language model (its data is " + run.info().format() + ", not text)");
        Tokenizer tokenizer = run.info().text().toTokenizer();
        int blockSize = run.info().text().blockSize();
        int[] ids = tokenizer.encode(prompt, "--prompt");
        if (ids.length == 0) throw new ConfigException("--prompt: needs at least one character");
        int[] all = Arrays.copyOf(ids, ids.length + tokens);
        Generator gen = Generator.seeded(seed);
        try (var scope = GradMode.noGrad()) {
            for (int n = ids.length; n < all.length; n++) {
                int from = Math.max(0, n - blockSize), len = n - from;
                float[] context = new float[len];
                for (int i = 0; i < len; i++) context[i] = all[from + i];
                Tensor logits = run.model().forward(Tensor.of(context, 1, len));
                int v = logits.size(-1);
                float[] last = logits.narrow(1, len - 1, 1).toFloatArray();
                all[n] = Sampling.draw(last, v, temperature, topK == null ? v : Math.min(topK, v), gen);
            }
        }
        System.out.println(tokenizer.decode(all));
        return Failures.OK;
    }
}
