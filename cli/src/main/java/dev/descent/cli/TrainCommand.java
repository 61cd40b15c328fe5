package dev.descent.cli;

import dev.descent.cli.config.ConfigException;
import dev.descent.cli.config.ConfigFile;
import dev.descent.cli.run.RunDirectory;
import dev.descent.cli.run.TrainingEngine;
import dev.descent.cli.run.TrainingRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code descent train RUN.yaml}: trains as the configuration says and writes a run directory. */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = Version.class, description = "Train a model from a YAML run configuration and write a run directory.")
public final class TrainCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN.yaml", description = "The run configuration.")
    Path config;

    @Option(names = "--set", paramLabel = "key=value", description = "Override a config value, e.g. --set optimizer.lr=0.01 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default: runs/<config name>-<timestamp> next to the config; with --resume, the checkpoint's directory).")
    Path out;

    @Option(names = "--resume", paramLabel = "CHECKPOINT", description = "Continue a run from RUN_DIR/last.safetensors (same config).")
    Path resume;

    @Option(names = "--quiet", description = "No progress lines.")
    boolean quiet;

    @Option(names = "--spark", paramLabel = "MASTER", description = "Train on Apache Spark (local[N], spark://host:7077, ...): train.shards split over tasks of one barrier stage; needs the descent-spark module (./descent builds it).")
    String spark;

    @Option(names = "--tasks", paramLabel = "N", description = "With --spark: tasks sharing each step (default: the smaller of train.shards and Spark's slots).")
    Integer tasks;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws Exception {
        threads.apply();
        ConfigFile cfg = ConfigFile.load(config, overrides);
        Path dir = out != null ? out : resume != null ? resume.toAbsolutePath().getParent() : RunDirectory.defaultFor(config);
        var console = System.console();
        boolean terminal = console != null && console.isTerminal();
        var options = new TrainingRun.Options(System.out, !quiet, terminal, resume, List.of(), true);
        if (tasks != null && spark == null) throw new ConfigException("--tasks: only with --spark");
        var outcome = spark == null ? TrainingRun.run(cfg, dir, options) : sparkEngine().train(cfg, dir, options, spark, tasks);
        if (!outcome.testMetrics().isEmpty()) System.out.println("test  " + format(outcome.testMetrics()) + "  (" + outcome.tested() + ")");
        long skipped = outcome.result().skipped();
        if (skipped > 0) {
            System.err.println("descent train: warning: " + skipped + (skipped == 1 ? " step was" : " steps were") + " skipped: the loss was not"
                    + " finite (on_nonfinite: skip), so " + (skipped == 1 ? "its batch" : "their batches") + " did not update the model");
        }
        System.out.println("run directory: " + dir);
        if (!outcome.succeeded()) throw new Failures.TrainingFailed("training " + outcome.result().reason());
        return Failures.OK;
    }

    private static TrainingEngine sparkEngine() {
        return TrainingEngine.find("spark").orElseThrow(() -> new ConfigException(
                "--spark: the Spark engine (descent-spark) is not on the class path; run through ./descent, which builds it on first use"));
    }

    static String format(Map<String, Double> metrics) {
        StringBuilder sb = new StringBuilder();
        metrics.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "%s %.4f  ", k, v)));
        return sb.toString().trim();
    }
}
