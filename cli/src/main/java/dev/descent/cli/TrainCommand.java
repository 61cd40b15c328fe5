package dev.descent.cli;

import dev.descent.cli.config.ConfigFile;
import dev.descent.cli.run.RunDirectory;
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

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws Exception {
        threads.apply();
        ConfigFile cfg = ConfigFile.load(config, overrides);
        Path dir = out != null ? out : resume != null ? resume.toAbsolutePath().getParent() : RunDirectory.defaultFor(config);
        var console = System.console();
        boolean terminal = console != null && console.isTerminal();
        var outcome = TrainingRun.run(cfg, dir, new TrainingRun.Options(System.out, !quiet, terminal, resume, List.of(), true));
        if (!outcome.testMetrics().isEmpty()) System.out.println("test  " + format(outcome.testMetrics()));
        System.out.println("run directory: " + dir);
        if (!outcome.succeeded()) throw new Failures.TrainingFailed("training " + outcome.result().reason());
        return Failures.OK;
    }

    static String format(Map<String, Double> metrics) {
        StringBuilder sb = new StringBuilder();
        metrics.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "%s %.4f  ", k, v)));
        return sb.toString().trim();
    }
}
