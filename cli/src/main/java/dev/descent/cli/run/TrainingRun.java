package dev.descent.cli.run;

import dev.descent.train.RunFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.descent.cli.build.CallbackFactory;
import dev.descent.cli.build.DataFactory;
import dev.descent.cli.build.DataSelection;
import dev.descent.cli.build.LossFactory;
import dev.descent.cli.build.MetricFactory;
import dev.descent.cli.build.ModelFactory;
import dev.descent.cli.build.OptimizerFactory;
import dev.descent.cli.build.ScheduleFactory;
import dev.descent.cli.build.Task;
import dev.descent.cli.build.TextData;
import dev.descent.loss.Loss;
import dev.descent.cli.config.ConfigException;
import dev.descent.cli.config.ConfigFile;
import dev.descent.cli.config.Section;
import dev.descent.data.DataLoader;
import dev.descent.data.TensorDataset;
import dev.descent.io.Safetensors;
import dev.descent.metric.Metric;
import dev.descent.nn.Sequential;
import dev.descent.optim.OptimizerSpec;
import dev.descent.train.Callback;
import dev.descent.train.Checkpoint;
import dev.descent.train.GradientReducer;
import dev.descent.train.ShardTree;
import dev.descent.train.NonFinitePolicy;
import dev.descent.train.TrainResult;
import dev.descent.train.Trainer;
import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One training run from a configuration: reads the data, builds the model, loss, optimizer,
 * schedule, metrics and callbacks through the factories (the objects a Java user would build),
 * hands them to {@link Trainer}, and writes the run directory. The loop itself is the Trainer's;
 * nothing here trains.
 *
 * <p>The {@code train:} keys: {@code epochs} (default 1, or as many as {@code max_steps} needs when
 * only that is given), {@code max_steps} (a step budget),
 * {@code batch_size} (a number or {@code full}), {@code shuffle} (true), {@code drop_last},
 * {@code validate_every} (optimizer steps; 0 = every epoch), {@code clip_grad_norm},
 * {@code clip_grad_value}, {@code on_nonfinite} ({@code stop} or {@code skip}), {@code shards}
 * (a power of two dividing the batch: {@link Trainer#shards}), {@code capture_steps} (true:
 * {@link Trainer#captureSteps}). The
 * {@code callbacks:} keys are {@link CallbackFactory}'s.
 */
public final class TrainingRun {
    /**
     * What a run produced.
     *
     * @param result      the trainer's result
     * @param testMetrics "loss" and each metric on the test data (empty without test data)
     * @param runDir      where everything was written
     * @param tested      which weights the test metrics are of, for people: final.safetensors,
     *                    and whether early stopping put the best weights back into it
     * @param resumedFinished whether this was a resume of a run that had already finished, which
     *                    was left as it was ({@code result} is then null)
     */
    public record Outcome(TrainResult result, Map<String, Double> testMetrics, Path runDir, String tested, boolean resumedFinished) {
        /** An outcome of a run that trained, whose test metrics (if any) are of the weights training ended with. */
        public Outcome(TrainResult result, Map<String, Double> testMetrics, Path runDir) {
            this(result, testMetrics, runDir, RunFiles.FINAL + ": the weights training ended with", false);
        }

        /** Completed, stopped early by early stopping, or out of step budget: all success. */
        public boolean succeeded() {
            if (resumedFinished) return true;
            String r = result.reason();
            return r.startsWith("completed") || r.startsWith("stopped: early stopping");
        }

        /** Stopped by {@link #INTERRUPTED} (Ctrl-C): resumable from the last checkpoint. */
        public boolean interrupted() {
            return result != null && result.reason().startsWith("stopped: " + INTERRUPTED);
        }
    }

    /** The reason a callback gives when the user interrupts the run (Ctrl-C). */
    public static final String INTERRUPTED = "interrupted";

    /**
     * How the command line wants the run shown and written.
     *
     * @param resumeFrom   where and how to resume ({@link Resumption}), or null for a new run
     * @param report       whether to write report.html and its charts (the demo skips them when its
     *                     run directory is thrown away)
     * @param initialState when not null, the model starts from these weights (copied in order,
     *                     see {@link InitialWeights}) instead of its own seeded initialization;
     *                     compare uses it so every variant starts from the same point
     * @param validateOnly read and check the whole configuration (data included), build every
     *                     object, then return null before writing or training anything
     * @param data         which rows to use ({@link DataSelection#ALL} for a plain run): tune's
     *                     trials leave the test rows out, and its cross-validation trains on
     *                     k - 1 folds and validates on one
     * @param reducer      when not null, this process is one participant of a sharded run
     *                     ({@code train.shards}) spread over several processes (the Spark engine)
     */
    public record Options(PrintStream out, boolean progress, boolean terminal, Resumption resumeFrom, List<Callback> extraCallbacks, boolean report,
                          Map<String, Tensor> initialState, boolean validateOnly, DataSelection data, GradientReducer reducer) {
        public Options {
            Objects.requireNonNull(data, "data");
        }

        public Options(PrintStream out, boolean progress, boolean terminal, Resumption resumeFrom, List<Callback> extraCallbacks, boolean report,
                       Map<String, Tensor> initialState, boolean validateOnly, DataSelection data) {
            this(out, progress, terminal, resumeFrom, extraCallbacks, report, initialState, validateOnly, data, null);
        }

        /**
         * These options for one participant of a sharded run spread over several processes
         * ({@link Trainer#reducer}): the run then computes only that participant's shards.
         */
        public Options withReducer(GradientReducer r) {
            return new Options(out, progress, terminal, resumeFrom, extraCallbacks, report, initialState, validateOnly, data, r);
        }

        public Options(PrintStream out, boolean progress, boolean terminal, Resumption resumeFrom, List<Callback> extraCallbacks, boolean report,
                       Map<String, Tensor> initialState, boolean validateOnly) {
            this(out, progress, terminal, resumeFrom, extraCallbacks, report, initialState, validateOnly, DataSelection.ALL);
        }

        public Options(PrintStream out, boolean progress, boolean terminal, Resumption resumeFrom, List<Callback> extraCallbacks, boolean report) {
            this(out, progress, terminal, resumeFrom, extraCallbacks, report, null, false, DataSelection.ALL);
        }
    }

    /**
     * The top-level keys of a run configuration. {@code search} and {@code compare} belong to
     * {@code descent tune} and {@code descent compare}; a run accepts and ignores them so that the
     * same file trains as the base configuration.
     */
    public static final List<String> TOP_KEYS = List.of("seed", "data", "model", "init_from", "loss", "optimizer", "schedule", "train",
            "metrics", "callbacks", "search", "compare", "federated");

    private TrainingRun() {}

    public static Outcome run(ConfigFile config, Path runDir, Options opts) throws IOException {
        if (FederatedRun.wanted(config)) return FederatedRun.run(config, runDir, opts, dev.descent.fed.ClientRunner.local());
        if (opts.resumeFrom() == null && Files.exists(runDir.resolve(RunFiles.METRICS))) {
            throw new ConfigException(runDir + ": already holds a run (metrics.jsonl); choose another --out, or continue it with --resume");
        }
        Section top = config.top();
        // Unknown top-level keys fail before any data is read.
        for (String key : TOP_KEYS) top.has(key);
        top.finish();
        long seed = top.integer("seed", 0);
        LossFactory.Built loss = LossFactory.build(top.raw("loss"));
        DataFactory.Prepared data = DataFactory.prepare(config, top.section("data"), loss, seed, opts.data());
        Sequential model = initialModel(config, top, data, loss, seed);
        if (opts.initialState() != null) InitialWeights.copyInto(model, opts.initialState());
        List<Metric> metrics = MetricFactory.build(top.raw("metrics"), loss);
        boolean text = data.info().text() != null;
        // A language model's outputs [B, T, V] and targets [B, T] are scored as B * T token rows.
        Loss lossFunction = text ? TextData.perToken(loss.loss()) : loss.loss();
        if (text) metrics = new ArrayList<>(metrics.stream().map(TextData::perToken).toList());

        Section train = top.section("train");
        // A step budget alone runs until it is spent (as Lightning's max_steps with max_epochs unset);
        // epochs alone default to 1, and with both, whichever ends first.
        boolean epochsGiven = train.has("epochs");
        int epochs = train.integer("epochs", 1);
        long maxSteps = train.has("max_steps") ? (long) train.number("max_steps", 0) : Long.MAX_VALUE;
        int batchSize = batchSize(train);
        boolean shuffle = train.bool("shuffle", true), dropLast = train.bool("drop_last", false);
        int validateEvery = train.integer("validate_every", 0);
        String onNonFinite = train.choice("on_nonfinite", "stop", List.of("stop", "skip"));
        double clipNorm = positiveOrAbsent(train, "clip_grad_norm"), clipValue = positiveOrAbsent(train, "clip_grad_value");
        int shards = shards(train, batchSize, data.train().size());
        boolean captureSteps = train.bool("capture_steps", true);
        train.finish();
        if (epochs < 1) throw new ConfigException("train.epochs: must be at least 1, got " + epochs);
        if (maxSteps < 1) throw new ConfigException("train.max_steps: must be at least 1, got " + maxSteps);
        if (validateEvery < 0) throw new ConfigException("train.validate_every: must be >= 0 (0: every epoch), got " + validateEvery);

        // with shards every step takes a whole global batch: the last partial one is dropped
        long perEpoch = DataLoader.of(data.train(), batchSize, false, dropLast || shards > 1, 0).batchesPerEpoch();
        if (!epochsGiven && maxSteps != Long.MAX_VALUE) epochs = (int) Math.min(Integer.MAX_VALUE, (maxSteps + perEpoch - 1) / perEpoch);
        long totalSteps = Math.min(maxSteps, perEpoch * epochs);
        OptimizerFactory.Head head = OptimizerFactory.head(top.raw("optimizer"));
        ScheduleFactory.Built schedule = ScheduleFactory.build(top.raw("schedule"), head.lr(), totalSteps);
        OptimizerSpec spec = OptimizerFactory.build(head, schedule.schedule());
        if (clipNorm > 0) spec = spec.clipByGlobalNorm(clipNorm);
        if (clipValue > 0) spec = spec.clipByValue(clipValue);

        TensorDataset validation = data.validation();
        List<String> produced = new ArrayList<>();
        if (validation != null) {
            produced.add("val_loss");
            metrics.forEach(m -> produced.add("val_" + m.name()));
        }
        if (schedule.monitor() != null) CallbackFactory.requireMonitor("schedule.monitor", schedule.monitor(), produced);
        var context = new CallbackFactory.Context(runDir, runDir.resolve(RunFiles.METRICS), produced, opts.out(), opts.progress(),
                opts.terminal(), (int) Math.max(1, Math.min(50, perEpoch)), config);
        List<Callback> callbacks = new ArrayList<>(CallbackFactory.build(top.section("callbacks"), context));
        callbacks.addAll(opts.extraCallbacks());

        if (opts.validateOnly()) return null;

        Trainer trainer = Trainer.of(model, lossFunction, spec).epochs(epochs).batchSize(batchSize).shuffle(shuffle).dropLast(dropLast)
                .seed(seed).validateEvery(validateEvery).onNonFiniteLoss(NonFinitePolicy.valueOf(onNonFinite.toUpperCase()))
                .shards(shards).captureSteps(captureSteps).callbacks(callbacks.toArray(Callback[]::new));
        if (opts.reducer() != null) trainer.reducer(opts.reducer());
        if (maxSteps != Long.MAX_VALUE) trainer.maxSteps(maxSteps);
        if (validation != null) trainer.validation(validation, metrics.toArray(Metric[]::new));
        if (schedule.monitor() != null) trainer.plateauMonitor(schedule.monitor());
        ObjectNode resolved = resolvedConfig(config);
        // Every check of a resume comes before the first write: a refused resume leaves the run as it was.
        Resumption resume = opts.resumeFrom();
        if (resume != null) {
            Checkpoint checkpoint = resume.checkpoint() == null ? null : Checkpoint.load(resume.checkpoint());
            if (checkpoint != null) {
                try {
                    // Checked here so a checkpoint of another run is a configuration error, not a failed run.
                    trainer.resume(checkpoint);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("--resume " + resume.checkpoint() + ": does not fit this configuration: " + e.getMessage());
                }
            }
            List<String> changed = resume.changedKeys(resolved);
            resume.refuseUnmeantChanges(changed, resolved);
            // A finished run is left alone when resumed from its own last checkpoint; an earlier checkpoint named
            // explicitly is a request to continue from there.
            if (changed.isEmpty() && resume.fromOwnLast() && resume.finished()) return new Outcome(null, Map.of(), runDir, "", true);
            trainer.secondsBefore(resume.prepareLog(checkpoint == null ? 0 : checkpoint.step(), changed));
        }
        RunDirectory.writeConfig(runDir, resolved);
        data.info().write(runDir);

        TrainResult result = trainer.fit(data.train());
        // Interrupted: the run continues from its last checkpoint; nothing final to write.
        if (result.reason().startsWith("stopped: " + INTERRUPTED)) return new Outcome(result, Map.of(), runDir, "", false);
        Safetensors.write(runDir.resolve(RunFiles.FINAL), model.stateDict(), Map.of("format", "descent.model"), model.countBuffers());

        Map<String, Double> test = new LinkedHashMap<>();
        if (data.test() != null) {
            test.putAll(Trainer.evaluate(model, lossFunction, data.test(), metrics));
            RunOutputs.appendTestLine(runDir, test, RunFiles.FINAL);
            if (loss.task().classification() && !text) {
                RunOutputs.writeConfusion(runDir, model, data.test(), loss, data.classes().names(), "test");
            }
        } else if (validation != null && loss.task().classification() && !text) {
            RunOutputs.writeConfusion(runDir, model, validation, loss, data.classes().names(), "validation");
        }
        if (opts.report()) RunOutputs.writeReport(runDir);
        return new Outcome(result, test, runDir, RunFiles.FINAL + (restoresBest(config)
                ? ": the best weights, put back by early stopping (restore_best)" : ": the weights training ended with"), false);
    }

    /**
     * The weights a run of this configuration starts from: the model built from the seed, or
     * loaded from {@code init_from}. Reads the data (the model's input size comes from it).
     */
    public static Map<String, Tensor> initialState(ConfigFile config) throws IOException {
        Section top = config.top();
        long seed = top.integer("seed", 0);
        LossFactory.Built loss = LossFactory.build(top.raw("loss"));
        DataFactory.Prepared data = DataFactory.prepare(config, top.section("data"), loss, seed);
        Map<String, Tensor> state = new LinkedHashMap<>();
        // A snapshot: stateDict() views the live storage.
        initialModel(config, top, data, loss, seed).stateDict().forEach((k, v) -> state.put(k, v.copy()));
        return state;
    }

    private static Sequential initialModel(ConfigFile config, Section top, DataFactory.Prepared data, LossFactory.Built loss, long seed)
            throws IOException {
        Sequential model = ModelFactory.build(top.raw("model"), data.info().inputShape(), data.info().vocabularySize(), Generator.seeded(seed));
        checkOutputs(model, data, loss);
        String init = top.string("init_from", null);
        if (init != null) {
            Path file = config.resolve(init);
            try {
                model.loadStateDict(Safetensors.read(file).tensors(), true);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("init_from: " + file + ": " + e.getMessage());
            }
        }
        return model;
    }

    /** Whether early stopping puts the best weights back when training ends (restore_best, default true). */
    private static boolean restoresBest(ConfigFile config) {
        JsonNode es = config.root().path("callbacks").path("early_stopping");
        return es.isObject() && es.path("restore_best").asBoolean(true);
    }

    /** A clipping threshold: absent (0, no clipping) or a positive number. */
    private static double positiveOrAbsent(Section s, String key) {
        if (!s.has(key)) return 0;
        double v = s.number(key, 0);
        if (!(v > 0 && Double.isFinite(v))) throw new ConfigException(s.name(key) + ": must be a positive number, got " + v);
        return v;
    }

    /** train.shards: a power of two dividing the global batch (1, the plain step, by default). */
    private static int shards(Section train, int batchSize, int trainRows) {
        int s = train.integer("shards", 1);
        if (!ShardTree.isValidCount(s)) throw new ConfigException(train.name("shards") + ": must be a power of two (1, 2, 4, ...), got " + s);
        int rows = batchSize == DataLoader.FULL ? trainRows : batchSize;
        if (rows % s != 0) {
            throw new ConfigException(train.name("shards") + ": " + s + " does not divide the batch size " + rows
                    + (batchSize == DataLoader.FULL ? " (the whole training set)" : "") + "; each shard needs batch_size / shards rows");
        }
        if (s > 1 && rows > trainRows) {
            throw new ConfigException(train.name("shards") + ": the batch size " + rows + " exceeds the " + trainRows
                    + " training rows, and with shards every step takes a full batch");
        }
        return s;
    }

    private static int batchSize(Section train) {
        JsonNode b = train.raw("batch_size");
        if (b != null && b.isTextual() && b.asText().equals("full")) return DataLoader.FULL;
        int n = train.integer("batch_size", 32);
        if (n < 1) throw new ConfigException("train.batch_size: must be a positive number or 'full', got " + n);
        return n;
    }

    private static void checkOutputs(Sequential model, DataFactory.Prepared data, LossFactory.Built loss) {
        int[] out = ModelFactory.outputShape(model, data.info().inputShape());
        if (data.info().text() != null) {
            int t = data.info().text().blockSize(), v = data.info().vocabularySize();
            if (!Arrays.equals(out, new int[] {t, v})) {
                throw new ConfigException("model: the last layer gives outputs of shape " + Arrays.toString(out) + " per example, but a language model"
                        + " needs [" + t + ", " + v + "] (a score for each of the " + v + " tokens at each of the " + t + " positions); end it with linear: vocab");
            }
            return;
        }
        Task task = loss.task();
        int want = task == Task.CLASSES || task == Task.DISTRIBUTION ? data.classes().size() : 1;
        if (out.length != 1 || out[0] != want) {
            String what = task == Task.CLASSES || task == Task.DISTRIBUTION ? "the training data has " + want + " classes"
                    : task == Task.BINARY ? loss.name() + " needs one output (the positive class)" : "regression needs one output";
            throw new ConfigException("model: the last layer gives outputs of shape " + Arrays.toString(out) + " per example, but " + what
                    + "; end the model with linear: " + want);
        }
    }

    /** The config with data, init and TensorBoard paths made absolute, so eval and predict can use it from the run directory. */
    public static ObjectNode resolvedConfig(ConfigFile config) {
        ObjectNode root = config.root().deepCopy();
        if (root.get("init_from") instanceof TextNode t) root.put("init_from", config.resolve(t.asText()).toString());
        if (root.get("data") instanceof ObjectNode data) {
            for (String key : List.of("train", "validation", "test")) {
                JsonNode v = data.get(key);
                if (v instanceof TextNode t && !t.asText().startsWith(DataFactory.BUILTIN)) data.put(key, config.resolve(t.asText()).toString());
                if (v instanceof ObjectNode idx) {
                    for (String part : List.of("images", "labels", "text")) {
                        if (idx.get(part) instanceof TextNode t) idx.put(part, config.resolve(t.asText()).toString());
                    }
                }
            }
        }
        if (root.get("callbacks") instanceof ObjectNode cbs) {
            JsonNode tb = cbs.get("tensorboard");
            if (tb instanceof TextNode t) cbs.put("tensorboard", config.resolve(t.asText()).toString());
            if (tb instanceof ObjectNode o && o.get("dir") instanceof TextNode t) o.put("dir", config.resolve(t.asText()).toString());
        }
        return root;
    }
}
