package dev.descent.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.descent.cli.config.ConfigException;
import dev.descent.cli.config.ConfigFile;
import dev.descent.cli.run.FederatedRun;
import dev.descent.cli.run.TrainingEngine;
import dev.descent.cli.run.Resumption;
import dev.descent.cli.run.TrainingRun;
import dev.descent.train.Checkpoint;
import dev.descent.train.RunFiles;
import dev.descent.train.TrainResult;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code descent train RUN.yaml --spark MASTER}: the configuration's run as a
 * {@link SparkDataParallel} barrier stage. Every task runs the CLI's own {@link TrainingRun} on the
 * same configuration (so data paths must be readable from every executor, and the run directory
 * from rank 0's), with its participant of the reduction; rank 0 writes the run directory
 * (metrics, checkpoints, final weights, report), the other ranks write into a temporary directory
 * they delete. The tasks default to the smaller of {@code train.shards} and the slots Spark
 * offers.
 *
 * <p>When Spark re-runs the stage after a failure (a lost executor), every task resumes from the
 * run directory's {@code last.safetensors} (written at the end of every epoch), and
 * {@code metrics.jsonl} is cut back to that step first, so the run ends with the same bits and
 * the same log as an undisturbed one.
 */
public final class SparkTrainingEngine implements TrainingEngine {
    @Override
    public String name() {
        return "spark";
    }

    @Override
    public TrainingRun.Outcome train(ConfigFile config, Path runDir, TrainingRun.Options options, String master, Integer tasks)
            throws IOException {
        if (FederatedRun.wanted(config)) return federated(config, runDir, options, master, tasks);
        // every configuration and data error surfaces here, in one line, before Spark starts
        TrainingRun.run(config, runDir, new TrainingRun.Options(options.out(), false, false, options.resumeFrom(), List.of(), false, null,
                true, options.data()));
        int shards = config.root().path("train").path("shards").asInt(1);
        if (tasks != null && (tasks < 1 || tasks > shards)) {
            throw new ConfigException("--tasks: must be between 1 and train.shards (" + shards + "), got " + tasks);
        }
        String json = config.root().toString(), source = config.source().toAbsolutePath().toString();
        String dir = runDir.toAbsolutePath().toString();
        var resumption = options.resumeFrom();
        if (resumption != null) {
            // The checks of a resume that concern the whole run, here on the driver: a refused change exits 2 before
            // Spark starts, and a finished run is left as it is (the tasks would not agree on whether to train).
            ObjectNode resolved = TrainingRun.resolvedConfig(config);
            List<String> changed = resumption.changedKeys(resolved);
            resumption.refuseUnmeantChanges(changed, resolved);
            if (changed.isEmpty() && resumption.fromOwnLast() && resumption.finished()) return new TrainingRun.Outcome(null, Map.of(), runDir, "", true);
        }
        // A resume without a checkpoint (a run killed before its first one) starts again in place, as the plain run does.
        boolean resumed = resumption != null;
        String resume = resumption == null || resumption.checkpoint() == null ? null : resumption.checkpoint().toAbsolutePath().toString();
        boolean allowChanges = resumption != null && resumption.allowChanges();
        boolean progress = options.progress(), report = options.report();
        try (JavaSparkContext sc = open(withOwnJar(SparkSessions.conf(master, "descent train " + config.source().getFileName()), master),
                master)) {
            int p = tasks != null ? tasks : Math.max(1, Math.min(shards, sc.defaultParallelism()));
            options.out().println("spark: " + master + ", " + p + " task" + (p == 1 ? "" : "s") + ", " + shards + " shard" + (shards == 1 ? "" : "s"));
            List<TaskOutcome> outcomes = SparkDataParallel.run(sc, p, (reducer, attempt) -> {
                ConfigFile cfg = new ConfigFile(Path.of(source), (ObjectNode) new ObjectMapper().readTree(json));
                boolean lead = reducer.rank() == 0;
                Path mine = lead ? Path.of(dir) : Files.createTempDirectory("descent-replica-");
                Path from = resume == null ? null : Path.of(resume);
                if (attempt > 0) from = restart(Path.of(dir), from, lead);
                PrintStream out = lead ? System.out : new PrintStream(OutputStream.nullOutputStream());
                var o = new TrainingRun.Options(out, lead && progress, false, from == null && !resumed ? null : new Resumption(mine, from, allowChanges),
                        List.of(), lead && report).withReducer(reducer);
                try {
                    TaskOutcome outcome = TaskOutcome.of(TrainingRun.run(cfg, mine, o));
                    return reducer instanceof TcpReducer tcp ? outcome.withExchange(tcp.meanExchangeMillis(), tcp.exchanges()) : outcome;
                } finally {
                    if (!lead) deleteTree(mine);
                }
            });
            TaskOutcome lead = outcomes.get(0);
            if (lead.exchanges() > 0) {
                options.out().printf(java.util.Locale.ROOT, "spark: exchange %.2f ms per step (rank 0, mean of %d steps)%n", lead.exchangeMillis(),
                        lead.exchanges());
            }
            return lead.toOutcome(runDir);
        } catch (IllegalArgumentException e) {
            // more tasks than slots (checked before the stage starts, so nothing is written): a bad --tasks, exit 2
            throw new ConfigException("--tasks: " + e.getMessage());
        } catch (IllegalStateException e) {
            // a failed stage: one line, exit 1 (the run directory keeps the last checkpoint)
            throw new SparkRunFailed("spark: " + e.getMessage(), e);
        }
    }

    /**
     * A context for {@code master}, once {@link MasterCheck} found it listening (at most 5 s): an
     * unreachable or unparsable master is a bad {@code --spark} (exit 2), and nothing is written.
     */
    private static JavaSparkContext open(SparkConf conf, String master) {
        try {
            MasterCheck.reachable(master);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--spark: " + e.getMessage());
        }
        try {
            return new JavaSparkContext(conf);
        } catch (Exception e) { // Spark throws its checked SparkException undeclared
            if (String.valueOf(e.getMessage()).startsWith("Could not parse Master URL")) {
                throw new ConfigException("--spark: " + e.getMessage() + " (expected local[N], spark://host:port, yarn or k8s://...)");
            }
            throw e;
        }
    }

    /** A Spark run that could not start or finish; the CLI reports it in one line and exits 1. */
    static final class SparkRunFailed extends RuntimeException {
        SparkRunFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A federated: run: the rounds on this driver, each round's clients as one Spark job ({@link SparkClients}). */
    private static TrainingRun.Outcome federated(ConfigFile config, Path runDir, TrainingRun.Options options, String master, Integer tasks)
            throws IOException {
        if (tasks != null) throw new ConfigException("--tasks: not used by a federated run (each round's clients spread over Spark's slots)");
        FederatedRun.run(config, runDir, new TrainingRun.Options(options.out(), false, false, options.resumeFrom(), List.of(), false, null,
                true, options.data()), null);
        try (JavaSparkContext sc = open(withOwnJar(SparkSessions.conf(master, "descent federated " + config.source().getFileName()), master),
                master)) {
            options.out().println("spark: " + master + ", federated rounds on " + sc.defaultParallelism() + " slots");
            return FederatedRun.run(config, runDir, options, new SparkClients(sc));
        } catch (IllegalStateException e) {
            throw new SparkRunFailed("spark: " + e.getMessage(), e);
        }
    }

    /** Executors of a cluster need Descent's classes: this module's jar when running from it (spark-submit sets spark.jars itself). */
    static SparkConf withOwnJar(SparkConf conf, String master) {
        String own = SparkTrainingEngine.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        if (!master.startsWith("local") && !conf.contains("spark.jars") && own.endsWith(".jar")) conf.set("spark.jars", own);
        return conf;
    }

    /**
     * Where a re-run stage starts: the run directory's last checkpoint when there is one (rank 0
     * first cuts metrics.jsonl back to its step), else the original start (rank 0 first removes
     * the log of the failed attempt).
     */
    private static Path restart(Path dir, Path original, boolean lead) throws IOException {
        Path last = dir.resolve("last.safetensors");
        Path metrics = dir.resolve(RunFiles.METRICS);
        if (Files.exists(last)) {
            if (lead && Files.exists(metrics)) MetricsCut.keepUpTo(metrics, Checkpoint.load(last).step());
            return last;
        }
        if (lead && original == null) Files.deleteIfExists(metrics);
        return original;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What rank 0 sends back: the trainer's result, the test metrics, and its mean exchange time per step over its exchanges. */
    record TaskOutcome(ArrayList<HashMap<String, Double>> epochs, long steps, String reason, double seconds,
                       HashMap<String, Double> test, double exchangeMillis, long exchanges) implements Serializable {
        static TaskOutcome of(TrainingRun.Outcome o) {
            ArrayList<HashMap<String, Double>> epochs = new ArrayList<>();
            for (Map<String, Double> m : o.result().epochs()) epochs.add(new LinkedHashMap<>(m));
            TrainResult r = o.result();
            return new TaskOutcome(epochs, r.steps(), r.reason(), r.seconds(), new LinkedHashMap<>(o.testMetrics()), Double.NaN, 0);
        }

        TaskOutcome withExchange(double millis, long count) {
            return new TaskOutcome(epochs, steps, reason, seconds, test, millis, count);
        }

        TrainingRun.Outcome toOutcome(Path runDir) {
            return new TrainingRun.Outcome(new TrainResult(new ArrayList<>(epochs), steps, reason, seconds), test, runDir);
        }
    }
}
