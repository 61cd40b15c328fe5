package dev.descent.cli;

import dev.descent.cli.config.ConfigException;
import dev.descent.cli.config.ConfigFile;
import dev.descent.cli.run.Resumption;
import dev.descent.cli.run.RunDirectory;
import dev.descent.cli.run.TrainingEngine;
import dev.descent.cli.run.TrainingRun;
import dev.descent.train.Callback;
import dev.descent.train.TrainingEvent;
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
    /** The exit code of a run stopped by Ctrl-C (128 + SIGINT, as shells report it). */
    static final int INTERRUPTED = 130;

    @Parameters(index = "0", paramLabel = "RUN.yaml", description = "The run configuration.")
    Path config;

    @Option(names = "--set", paramLabel = "key=value", description = "Override a config value, e.g. --set optimizer.lr=0.01 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default: runs/<config name>-<timestamp> next to the config; with --resume, the run's directory).")
    Path out;

    @Option(names = "--resume", paramLabel = "RUN_DIR|CHECKPOINT", description = "Continue a run from RUN_DIR/last.safetensors (or the checkpoint given) with the run's config; a run without a checkpoint yet starts again in place.")
    Path resume;

    @Option(names = "--allow-changes", description = "With --resume: continue even though the config differs from the run's config.yaml (the changed keys are recorded in metrics.jsonl).")
    boolean allowChanges;

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
        if (allowChanges && resume == null) throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--allow-changes needs --resume");
        Resumption resumption = resume == null ? null : Resumption.locate(resume, out, allowChanges);
        Path dir = resumption != null ? resumption.runDir() : out != null ? out : RunDirectory.defaultFor(config);
        var console = System.console();
        boolean terminal = console != null && console.isTerminal();
        if (tasks != null && spark == null) throw new ConfigException("--tasks: only with --spark");
        try (Interruption interruption = Interruption.install()) {
            List<Callback> extra = List.of(interruption.callback());
            var options = new TrainingRun.Options(System.out, !quiet, terminal, resumption, extra, true);
            var outcome = spark == null ? TrainingRun.run(cfg, dir, options) : sparkEngine().train(cfg, dir, options, spark, tasks);
            if (outcome.resumedFinished()) {
                System.out.println(dir + ": this run has already finished; nothing to do (it is unchanged)");
                return Failures.OK;
            }
            if (outcome.interrupted()) {
                System.out.println("interrupted at step " + outcome.result().steps() + "; continue with: descent train " + config + " --resume " + dir);
                return INTERRUPTED;
            }
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

    /**
     * Ctrl-C (SIGINT) or a polite kill (SIGTERM) while training: the run stops after the step in
     * progress, so that its end is recorded and it can be resumed; a second signal ends the
     * process at once. Outside a command line (tests calling {@link Main#run}) signals are left alone.
     */
    static final class Interruption implements AutoCloseable {
        private volatile boolean requested;
        private final List<Object[]> previous = new ArrayList<>();

        static Interruption install() {
            Interruption i = new Interruption();
            if (Main.ownsProcess) {
                for (String name : List.of("INT", "TERM")) {
                    try {
                        var signal = new sun.misc.Signal(name);
                        var before = sun.misc.Signal.handle(signal, s -> {
                            if (i.requested) Runtime.getRuntime().halt(INTERRUPTED);
                            i.requested = true;
                        });
                        i.previous.add(new Object[] {signal, before});
                    } catch (IllegalArgumentException e) {
                        // the signal is not available on this platform
                    }
                }
            }
            return i;
        }

        Callback callback() {
            return (event, control) -> {
                if (requested && event instanceof TrainingEvent.Step) control.requestStop(TrainingRun.INTERRUPTED + " (Ctrl-C)");
            };
        }

        @Override
        public void close() {
            for (Object[] p : previous) sun.misc.Signal.handle((sun.misc.Signal) p[0], (sun.misc.SignalHandler) p[1]);
        }
    }
}
