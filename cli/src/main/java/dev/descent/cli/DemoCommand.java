package dev.descent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.descent.cli.config.ConfigFile;
import dev.descent.cli.run.TrainingRun;
import dev.descent.train.Callback;
import dev.descent.train.TrainingEvent;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code descent demo}: trains a small MLP on the 8x8 digits data set shipped inside the jar,
 * through the same path as {@code descent train} (the configuration below is an ordinary run
 * configuration), and prints one table row per epoch and the test accuracy. 20% of the images
 * (stratified) are held out for the test, and 10% of the rest for validation.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Version.class, description = "Train a small network on the built-in digits data set and print the result (a few seconds).")
public final class DemoCommand implements Callable<Integer> {
    static final String CONFIG = """
            seed: 0
            data: {train: builtin:digits.csv, target: digit, test_split: 0.2, validation_split: 0.1, scale: {divide: 16}}
            model: [linear: 64, relu, linear: 10]
            loss: cross_entropy
            optimizer: {name: adam, lr: 0.005}
            train: {epochs: 8, batch_size: 32}
            metrics: [accuracy]
            callbacks: {progress: false}
            """;

    @Option(names = "--out", paramLabel = "DIR", description = "Keep the run directory here (default: a temporary one, deleted afterwards).")
    Path out;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws Exception {
        threads.apply();
        PrintStream o = System.out;
        ConfigFile config = new ConfigFile(Path.of("demo.yaml"), (ObjectNode) new ObjectMapper(new YAMLFactory()).readTree(CONFIG));
        o.println("Descent demo: 8x8 handwritten digits (1797 images, built in), MLP 64-64-10, Adam lr 0.005, batch 32");
        o.println("  80/20 stratified train/test split, 10% of training held out for validation");
        o.println();
        o.println("epoch   train loss   val loss   val accuracy   seconds");
        Path dir = out != null ? out : Files.createTempDirectory("descent-demo");
        try {
            var outcome = TrainingRun.run(config, dir, new TrainingRun.Options(o, false, false, null, List.of(table(o)), out != null));
            o.println();
            o.printf(Locale.ROOT, "test accuracy %.4f (loss %.4f) in %.1f s%n", outcome.testMetrics().get("accuracy"),
                    outcome.testMetrics().get("loss"), outcome.result().seconds());
            if (out != null) o.println("run directory: " + dir);
            if (!outcome.succeeded()) throw new Failures.TrainingFailed("training " + outcome.result().reason());
        } finally {
            if (out == null) deleteTree(dir);
        }
        return Failures.OK;
    }

    /** One table row per epoch. */
    private static Callback table(PrintStream o) {
        return (event, control) -> {
            if (event instanceof TrainingEvent.EpochEnd e) {
                var m = e.metrics();
                o.printf(Locale.ROOT, "%5d   %10.4f   %8.4f   %12.4f   %7.2f%n", e.epoch() + 1, m.get("loss"),
                        m.getOrDefault("val_loss", Double.NaN), m.getOrDefault("val_accuracy", Double.NaN), e.seconds());
            }
        };
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
