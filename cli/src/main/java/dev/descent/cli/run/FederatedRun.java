package dev.descent.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.descent.cli.build.DataFactory;
import dev.descent.cli.build.LossFactory;
import dev.descent.cli.build.MetricFactory;
import dev.descent.cli.build.ModelFactory;
import dev.descent.cli.build.OptimizerFactory;
import dev.descent.cli.build.ScheduleFactory;
import dev.descent.cli.build.TensorBoardOption;
import dev.descent.cli.config.ConfigException;
import dev.descent.cli.config.ConfigFile;
import dev.descent.cli.config.Section;
import dev.descent.data.DataLoader;
import dev.descent.fed.ClientPartition;
import dev.descent.fed.ClientRunner;
import dev.descent.fed.ClientTraining;
import dev.descent.fed.ClientUpdate;
import dev.descent.fed.FederatedAveraging;
import dev.descent.fed.LocalTraining;
import dev.descent.fed.ModelVector;
import dev.descent.fed.RoundCheckpoint;
import dev.descent.fed.ServerOptimizer;
import dev.descent.interop.tensorboard.RoundLog;
import dev.descent.io.Safetensors;
import dev.descent.metric.Metric;
import dev.descent.nn.Sequential;
import dev.descent.optim.OptimizerSpec;
import dev.descent.tensor.Generator;
import dev.descent.train.TrainResult;
import dev.descent.train.RunFiles;
import dev.descent.train.Trainer;
import dev.descent.train.TrainingControl;
import dev.descent.train.TrainingEvent;
import dev.descent.train.Callback;
import dev.descent.nn.Module;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A run configuration with a {@code federated:} section: federated averaging over clients made
 * of the training rows ({@link FederatedAveraging}), each round's clients run by a
 * {@link ClientRunner} (in this process, or Spark tasks with {@code --spark}). The keys:
 *
 * <pre>
 * federated:
 *   clients: 20            # K
 *   fraction: 0.5          # of the clients per round (default 1)
 *   rounds: 30
 *   local_epochs: 1        # E (default 1)
 *   partition: iid         # or {dirichlet: 0.5} or {shards_per_client: 2}
 *   algorithm: fedavg      # or fedprox, with mu
 *   mu: 0.01
 *   server: fedavg         # or {name: fedavgm, lr, momentum} or {name: fedadam, lr, beta1, beta2, tau}
 * </pre>
 *
 * The clients use the configuration's optimizer (fresh each round), {@code train.batch_size} and
 * {@code train.clip_grad_norm}; {@code schedule}, the other {@code train} keys and the
 * {@code callbacks} other than {@code tensorboard} do not apply. The run directory gets config.yaml,
 * run.json, metrics.jsonl with one {@code round} line per round (client loss, drift, validation
 * metrics), final.safetensors, the test line, an {@code end} line and report.html (per-round
 * curves); with {@code callbacks: {tensorboard: ...}} the
 * same values go to TensorBoard event files per round ({@link RoundLog}).
 *
 * <p>After each round's line, last.safetensors holds a {@link RoundCheckpoint} (the global state,
 * the server optimizer's state, the rounds completed), so {@code --resume RUN_DIR} continues a
 * killed run from its last completed round with the bits of an uninterrupted run; metrics.jsonl
 * is cut back to that round's line, as a plain run's is to its checkpoint's epoch line
 * ({@link Resumption}), and TensorBoard gets a restart mark after that round. The command line's
 * extra callbacks see each round as a {@link TrainingEvent.Step} (the round number as the step)
 * and may stop the run after it: Ctrl-C ends it with an {@code end} line after the round's
 * checkpoint.
 */
public final class FederatedRun {
    private FederatedRun() {}

    /** Whether the configuration asks for a federated run. */
    public static boolean wanted(ConfigFile config) {
        return config.root().has("federated");
    }

    /** The server side: reads, checks, runs the rounds through {@code runner}, writes the run directory. */
    public static TrainingRun.Outcome run(ConfigFile config, Path runDir, TrainingRun.Options opts, ClientRunner runner) throws IOException {
        Resumption resume = opts.resumeFrom();
        if (resume == null && Files.exists(runDir.resolve(RunFiles.METRICS))) {
            throw new ConfigException(runDir + ": already holds a run (metrics.jsonl); choose another --out, or continue it with --resume");
        }
        Clients clients = new Clients(config);
        Pieces p = clients.pieces();
        TensorBoardOption tensorboard = TensorBoardOption.of(config, runDir);
        if (opts.validateOnly()) return null;
        ObjectNode resolved = TrainingRun.resolvedConfig(config);
        Path metricsFile = runDir.resolve(RunFiles.METRICS);
        Sequential server = p.model();
        ServerOptimizer optimizer = switch (p.serverName) {
            case "fedavgm" -> ServerOptimizer.fedAvgM(p.serverLr, p.momentum);
            case "fedadam" -> ServerOptimizer.fedAdam(p.serverLr, p.beta1, p.beta2, p.tau);
            default -> ServerOptimizer.fedAvg();
        };
        float[] start = ModelVector.of(server);
        int from = 0;
        // Every check of a resume comes before the first write: a refused resume leaves the run as it was.
        if (resume != null) {
            RoundCheckpoint checkpoint = null;
            if (resume.checkpoint() != null) {
                try {
                    checkpoint = RoundCheckpoint.read(resume.checkpoint(), server);
                    optimizer.restore(checkpoint.server());
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("--resume " + resume.checkpoint() + ": does not fit this configuration: " + e.getMessage());
                }
            }
            List<String> changed = resume.changedKeys(resolved);
            resume.refuseUnmeantChanges(changed, resolved);
            if (changed.isEmpty() && resume.fromOwnLast() && resume.finished()) return new TrainingRun.Outcome(null, Map.of(), runDir, "", true);
            resume.prepareLog("round", "round", checkpoint == null ? 0 : checkpoint.rounds(), changed);
            if (checkpoint != null) {
                start = checkpoint.global();
                from = checkpoint.rounds();
            }
        }
        RunDirectory.writeConfig(runDir, resolved);
        RoundLog board = tensorboard == null ? null : RoundLog.open(tensorboard.dir(), from, Files.readString(runDir.resolve(RunFiles.CONFIG)));
        p.data.info().write(runDir);
        List<Map<String, Double>> history = new ArrayList<>();
        long started = System.nanoTime();
        RoundControl control = new RoundControl(server);
        float[] global;
        try {
            global = new FederatedAveraging(p.clients, p.fraction, p.seed, optimizer).run(start, from, p.rounds, clients, runner,
                    state -> {
                        if (p.data.validation() == null) return Map.of();
                        ModelVector.load(server, state);
                        Map<String, Double> named = new LinkedHashMap<>();
                        Trainer.evaluate(server, p.loss.loss(), p.data.validation(), p.metrics).forEach((k, v) -> named.put("val_" + k, v));
                        return named;
                    },
                    (round, state) -> {
                        Map<String, Double> m = new LinkedHashMap<>();
                        m.put("loss", round.clientLoss());
                        m.put("drift", round.drift());
                        m.putAll(round.evaluation());
                        history.add(m);
                        StringBuilder line = new StringBuilder("{\"kind\":\"round\",\"round\":" + (round.round() + 1) + ",\"clients\":"
                                + round.clients().length);
                        m.forEach((k, v) -> line.append(",\"").append(k.equals("loss") ? "client_loss" : k).append("\":")
                                .append(Double.isFinite(v) ? Double.toString(v) : "null"));
                        append(metricsFile, line + "}");
                        if (board != null) logRound(board, round.round() + 1, m);
                        // After the round's line: a kill between the two resumes from the round before, cutting this line off.
                        try {
                            new RoundCheckpoint(round.round() + 1, state, optimizer.state()).write(runDir.resolve(RunFiles.LAST), server);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        if (opts.progress()) {
                            StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "round %d/%d  clients %d", round.round() + 1, p.rounds,
                                    round.clients().length));
                            m.forEach((k, v) -> text.append(String.format(Locale.ROOT, "  %s %.4f", k, v)));
                            opts.out().println(text);
                        }
                        // The command line's extra callbacks (Ctrl-C) see each round as a step, and may stop the run after it.
                        control.rounds = round.round() + 1;
                        var event = new TrainingEvent.Step(round.round() + 1, 0, round.round(), round.clientLoss(), Double.NaN, Double.NaN, 0,
                                (System.nanoTime() - started) / 1e9, false);
                        for (Callback c : opts.extraCallbacks()) c.onEvent(event, control);
                        if (control.stopReason != null) throw new StopAfterRound();
                    });
        } catch (StopAfterRound stop) {
            // After the round's checkpoint: --resume continues from it, cutting the end line off.
            if (board != null) board.close();
            String reason = "stopped: " + control.stopReason;
            append(metricsFile, new ObjectMapper().createObjectNode().put("kind", "end").put("round", control.rounds).put("reason", reason).toString());
            return new TrainingRun.Outcome(new TrainResult(history, control.rounds, reason, (System.nanoTime() - started) / 1e9), Map.of(), runDir, "",
                    false);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        if (board != null) board.close();
        ModelVector.load(server, global);
        // Count buffers (BatchNorm's num_batches_tracked) as I64, as the plain run and PyTorch write them
        Safetensors.write(runDir.resolve(RunFiles.FINAL), server.stateDict(), Map.of("format", "descent.model"), server.countBuffers());
        Map<String, Double> test = new LinkedHashMap<>();
        // The confusion matrix of the final global model for the report, as a plain run writes it
        boolean confusion = p.loss.task().classification() && p.data.info().text() == null;
        if (p.data.test() != null) {
            test.putAll(Trainer.evaluate(server, p.loss.loss(), p.data.test(), p.metrics));
            RunOutputs.appendTestLine(runDir, test, RunFiles.FINAL);
            if (confusion) RunOutputs.writeConfusion(runDir, server, p.data.test(), p.loss, p.data.classes().names(), "test");
        } else if (p.data.validation() != null && confusion) {
            RunOutputs.writeConfusion(runDir, server, p.data.validation(), p.loss, p.data.classes().names(), "validation");
        }
        // Then the end line and the report, the last things written: a resume finds the run finished only with both there.
        append(metricsFile, new ObjectMapper().createObjectNode().put("kind", "end").put("round", p.rounds).put("reason", "completed").toString());
        if (opts.report()) RunOutputs.writeReport(runDir);
        TrainResult result = new TrainResult(history, p.rounds, "completed", (System.nanoTime() - started) / 1e9);
        return new TrainingRun.Outcome(result, test, runDir);
    }

    /** The round's values to TensorBoard, named as in its metrics.jsonl line. */
    private static void logRound(RoundLog board, int round, Map<String, Double> m) {
        Map<String, Double> named = new LinkedHashMap<>();
        m.forEach((k, v) -> named.put(k.equals("loss") ? "client_loss" : k, v));
        try {
            board.round(round, named);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write TensorBoard events: " + e.getMessage(), e);
        }
    }

    /** Thrown out of a round's end when a callback asked the run to stop. */
    private static final class StopAfterRound extends RuntimeException {
        StopAfterRound() {
            super(null, null, false, false);
        }
    }

    /**
     * What the command line's callbacks may do with a federated run between rounds: see the
     * server's model and ask it to stop. It has no {@link dev.descent.optim.Optimizer} (the server
     * optimizer is not one) and no {@link dev.descent.train.Checkpoint} (it writes its own).
     */
    private static final class RoundControl implements TrainingControl {
        private final Sequential server;
        int rounds;
        String stopReason;

        RoundControl(Sequential server) {
            this.server = server;
        }

        @Override public Module model() { return server; }
        @Override public dev.descent.optim.Optimizer optimizer() {
            throw new UnsupportedOperationException("a federated run's server optimizer is not a dev.descent.optim.Optimizer");
        }
        @Override public void requestStop(String reason) {
            if (stopReason == null) stopReason = reason;
        }
        @Override public dev.descent.train.Checkpoint checkpoint() {
            throw new UnsupportedOperationException("a federated run writes its own round checkpoints (last.safetensors)");
        }
        @Override public int completedEpochs() { return rounds; }
    }

    private static void append(Path file, String line) {
        try {
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Everything a federated run is made of, read from the configuration; the same on the driver
     * and on every executor (deterministic from the configuration and its seed).
     */
    static final class Pieces {
        final ConfigFile config;
        final long seed;
        final LossFactory.Built loss;
        final DataFactory.Prepared data;
        final List<Metric> metrics;
        final OptimizerSpec spec;
        final int batchSize, clients, rounds, localEpochs;
        final double fraction, mu;
        final int[][] parts;
        final String serverName;
        final double serverLr, momentum, beta1, beta2, tau;

        Pieces(ConfigFile config) throws IOException {
            this.config = config;
            Section top = config.top();
            for (String key : TrainingRun.TOP_KEYS) top.has(key);
            top.has("federated");
            top.finish();
            if (top.has("schedule")) throw new ConfigException("schedule: not used by a federated run (each client's optimizer starts afresh every round)");
            seed = top.integer("seed", 0);
            loss = LossFactory.build(top.raw("loss"));
            data = DataFactory.prepare(config, top.section("data"), loss, seed);
            metrics = MetricFactory.build(top.raw("metrics"), loss);
            Section train = top.section("train");
            for (String key : List.of("epochs", "max_steps", "shards", "validate_every")) {
                if (train.has(key)) throw new ConfigException(train.name(key) + ": not used by a federated run (see federated.rounds and local_epochs)");
            }
            JsonNode b = train.raw("batch_size");
            batchSize = b != null && b.isTextual() && b.asText().equals("full") ? DataLoader.FULL : train.integer("batch_size", 32);
            double clip = train.number("clip_grad_norm", 0);
            train.finish();
            OptimizerFactory.Head head = OptimizerFactory.head(top.raw("optimizer"));
            OptimizerSpec s = OptimizerFactory.build(head, ScheduleFactory.build(null, head.lr(), 1).schedule());
            spec = clip > 0 ? s.clipByGlobalNorm(clip) : s;

            Section fed = top.section("federated");
            clients = fed.integer("clients", 0);
            if (clients < 1) throw new ConfigException(fed.name("clients") + ": must be at least 1, got " + clients);
            fraction = fed.number("fraction", 1.0);
            if (!(fraction > 0 && fraction <= 1)) throw new ConfigException(fed.name("fraction") + ": must be in (0, 1], got " + fraction);
            rounds = fed.integer("rounds", 0);
            if (rounds < 1) throw new ConfigException(fed.name("rounds") + ": must be at least 1, got " + rounds);
            localEpochs = fed.integer("local_epochs", 1);
            if (localEpochs < 1) throw new ConfigException(fed.name("local_epochs") + ": must be at least 1, got " + localEpochs);
            String algorithm = fed.choice("algorithm", "fedavg", List.of("fedavg", "fedprox"));
            mu = algorithm.equals("fedprox") ? fed.requiredNumber("mu") : 0;
            if (!(mu >= 0)) throw new ConfigException(fed.name("mu") + ": must be >= 0, got " + mu);
            JsonNode server = fed.raw("server");
            Section srv = server != null && server.isObject() ? fed.section("server") : Section.named(fed.name("server"),
                    server == null ? "fedavg" : server.asText());
            serverName = srv.choice("name", "fedavg", List.of("fedavg", "fedavgm", "fedadam"));
            serverLr = srv.number("lr", serverName.equals("fedadam") ? 0.01 : 1.0);
            momentum = srv.number("momentum", 0.9);
            beta1 = srv.number("beta1", 0.9);
            beta2 = srv.number("beta2", 0.99);
            tau = srv.number("tau", 1e-3);
            srv.finish();
            parts = partition(fed);
            fed.finish();
        }

        private int[][] partition(Section fed) {
            JsonNode node = fed.raw("partition");
            Generator g = Generator.seeded(seed ^ 0xFEDL);
            try {
                if (node == null || (node.isTextual() && node.asText().equals("iid"))) return ClientPartition.iid(data.train().size(), clients, g);
                if (!loss.task().classification()) throw new ConfigException(fed.name("partition") + ": label-skewed partitions need a classification loss");
                int classes = data.classes().size();
                if (node.isObject() && node.has("dirichlet")) {
                    return ClientPartition.dirichlet(data.train().classIndices(), classes, clients, node.get("dirichlet").asDouble(), g);
                }
                if (node.isObject() && node.has("shards_per_client")) {
                    return ClientPartition.shards(data.train().classIndices(), clients, node.get("shards_per_client").asInt(), g);
                }
            } catch (IllegalArgumentException e) {
                throw new ConfigException(fed.name("partition") + ": " + e.getMessage());
            }
            throw new ConfigException(fed.name("partition") + ": expected iid, {dirichlet: alpha} or {shards_per_client: s}, got " + node);
        }

        Sequential model() {
            try {
                return ModelFactory.build(config.top().raw("model"), data.info().inputShape(), data.info().vocabularySize(), Generator.seeded(seed));
            } catch (RuntimeException e) {
                throw e;
            }
        }
    }

    /**
     * The clients' side, serializable so that a Spark task can run it: the configuration travels
     * as its source path and JSON text, and each JVM rebuilds the {@link Pieces} once.
     */
    static final class Clients implements ClientTraining {
        private final String source;
        private final String json;
        private transient Pieces pieces;

        Clients(ConfigFile config) throws IOException {
            this.source = config.source().toAbsolutePath().toString();
            this.json = config.root().toString();
            this.pieces = new Pieces(config);
        }

        synchronized Pieces pieces() throws IOException {
            if (pieces == null) pieces = new Pieces(new ConfigFile(Path.of(source), (ObjectNode) new ObjectMapper().readTree(json)));
            return pieces;
        }

        @Override
        public ClientUpdate train(int round, int client, float[] global) throws Exception {
            Pieces p = pieces();
            return LocalTraining.run(round, client, global, p.model(), p.loss.loss(), p.spec, p.data.train().subset(p.parts[client]),
                    p.localEpochs, p.batchSize, p.seed, p.mu);
        }
    }
}
