package dev.descent.train;

import dev.descent.data.Batch;
import dev.descent.data.DataLoader;
import dev.descent.data.TensorDataset;
import dev.descent.loss.Loss;
import dev.descent.metric.Metric;
import dev.descent.nn.Module;
import dev.descent.optim.Optimizer;
import dev.descent.optim.OptimizerSpec;
import dev.descent.optim.StepReport;
import dev.descent.tensor.CapturedStep;
import dev.descent.tensor.Generator;
import dev.descent.tensor.GradMode;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training loop: mini-batches from a {@link DataLoader}, forward, loss, backward, optimizer
 * step, validation, callbacks. Configured fluently, then {@link #fit} runs it:
 *
 * <pre>{@code
 * TrainResult r = Trainer.of(model, Losses.crossEntropy(), Optimizers.adamW(3e-3, 0.01))
 *         .epochs(20).batchSize(128).seed(42)
 *         .validation(valSet, Metrics.accuracy())
 *         .callbacks(Callbacks.earlyStopping("val_loss", 3))
 *         .fit(trainSet);
 * }</pre>
 *
 * <p>Reproducibility: the seed fixes the data order of every epoch and the dropout generator;
 * parameters are initialised by the caller from their own generator. A run resumed from a
 * {@link Checkpoint} taken between steps continues with the same batches, the same random draws
 * and the same learning rates, and its callbacks and metric-driven schedules decide as they would
 * have (their state is part of the checkpoint), so it ends with the same bits as the uninterrupted
 * run.
 *
 * <p>Full-batch gradient descent is {@code batchSize(DataLoader.FULL)} with SGD.
 */
public final class Trainer {
    private static final long DROPOUT_STREAM = 0x5DEECE66DL;

    private final Module model;
    private final Loss loss;
    private final OptimizerSpec spec;
    private int epochs = 1;
    private long maxSteps = Long.MAX_VALUE;
    private int batchSize = 32;
    private boolean shuffle = true;
    private boolean dropLast;
    private long seed;
    private TensorDataset validation;
    private final List<Metric> metrics = new ArrayList<>();
    private int validateEvery;
    private final List<Callback> callbacks = new ArrayList<>();
    private NonFinitePolicy nonFinite = NonFinitePolicy.STOP;
    private String plateauMonitor = "val_loss";
    private Checkpoint resumeFrom;
    private double secondsBefore;
    private boolean prefetch = true;
    private boolean reuseMemory = true;
    private boolean compileSteps = true;
    private boolean captureSteps = true;
    private int shards = 1;
    private GradientReducer reducer;
    /** The last fit's captured step (its counts and last reason stay readable), or null. */
    private CapturedStep lastCaptured;
    private String lastNotCapturedReason;

    private Trainer(Module model, Loss loss, OptimizerSpec spec) {
        this.model = model;
        this.loss = loss;
        this.spec = spec;
    }

    public static Trainer of(Module model, Loss loss, OptimizerSpec optimizer) {
        return new Trainer(model, loss, optimizer);
    }

    public Trainer epochs(int n) {
        if (n < 1) throw new IllegalArgumentException("epochs must be at least 1, got " + n);
        this.epochs = n;
        return this;
    }

    /** Stops after this many optimizer steps (a step budget), whatever the epoch count says. */
    public Trainer maxSteps(long n) {
        if (n < 1) throw new IllegalArgumentException("max_steps must be at least 1, got " + n);
        this.maxSteps = n;
        return this;
    }

    /** Examples per batch, or {@link DataLoader#FULL} for full-batch gradient descent. */
    public Trainer batchSize(int n) {
        this.batchSize = n;
        return this;
    }

    public Trainer shuffle(boolean on) {
        this.shuffle = on;
        return this;
    }

    public Trainer dropLast(boolean on) {
        this.dropLast = on;
        return this;
    }

    public Trainer seed(long s) {
        this.seed = s;
        return this;
    }

    /** Data and metrics to evaluate; "val_loss" is always computed. */
    public Trainer validation(TensorDataset data, Metric... ms) {
        this.validation = data;
        this.metrics.addAll(List.of(ms));
        return this;
    }

    /** Validate every n optimizer steps instead of at the end of each epoch (0: per epoch). */
    public Trainer validateEvery(int steps) {
        if (steps < 0) throw new IllegalArgumentException("validate_every must be >= 0, got " + steps);
        this.validateEvery = steps;
        return this;
    }

    public Trainer callbacks(Callback... cs) {
        this.callbacks.addAll(List.of(cs));
        return this;
    }

    public Trainer onNonFiniteLoss(NonFinitePolicy policy) {
        this.nonFinite = policy;
        return this;
    }

    /**
     * The metric fed to metric-driven schedules (reduce-on-plateau, wherever it sits in a group's
     * schedule) after each validation, through {@link Optimizer#observe} (default "val_loss").
     */
    public Trainer plateauMonitor(String metric) {
        this.plateauMonitor = metric;
        return this;
    }

    /**
     * Continue a run from this checkpoint instead of starting fresh. Checks at once, on throwaway
     * copies, that the checkpoint fits the model, the optimizer (its schedules included), the
     * generators and the callbacks given so far, so a caller can refuse it before writing anything.
     *
     * @throws IllegalArgumentException naming what does not fit
     */
    public Trainer resume(Checkpoint checkpoint) {
        Map<String, Tensor> weights = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> weights.put(k, v.copy()));
        try {
            // The model is put back as it was below; optimizer and generator are throwaways; the
            // callbacks and the schedules' rules get the same state again in fit.
            checkpoint.restore(model, spec.bind(model.namedParameters()), Map.of("dropout", Generator.seeded(0)), callbacks);
        } finally {
            model.loadStateDict(weights, true);
        }
        this.resumeFrom = checkpoint;
        return this;
    }

    /**
     * Seconds the run had trained before this fit (a resumed run's earlier part), added to every
     * event's time so that a resumed run's clock covers the whole run.
     */
    public Trainer secondsBefore(double seconds) {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) throw new IllegalArgumentException("seconds before must be finite and >= 0, got " + seconds);
        this.secondsBefore = seconds;
        return this;
    }

    /** Gather batches on the caller's thread (tiny data sets, where a thread costs more than it saves). */
    public Trainer withoutPrefetch() {
        this.prefetch = false;
        return this;
    }

    /**
     * Whether each step hands what it provably leaves behind back for the next step to reuse
     * (default on): its batch and, when the next step begins, the previous step's parameter
     * gradients (a captured step's activations and gradients are planned storage anyway: see
     * {@link #captureSteps}). A steady loop then allocates almost nothing, and the JVM's heap,
     * which grows with the allocation rate, stays near the size of the data.
     *
     * <p>Gradients stay readable through {@code p.grad()} until the next step starts (and after
     * the last step), as in PyTorch; what changes is that a gradient tensor kept across steps
     * (by a callback, say) may then show a later step's values, as it would in PyTorch with
     * {@code zero_grad(set_to_none=False)}. Turn this off for such callbacks.
     */
    public Trainer reuseMemory(boolean on) {
        this.reuseMemory = on;
        return this;
    }

    /**
     * Whether steps run through a {@link CompiledStep} when the model and loss allow it (default
     * on; Keras's {@code jit_compile}): chains of Linear and ReLU layers with MSE,
     * binary-cross-entropy-with-logits or cross-entropy on class indices (no class weights or
     * smoothing), a plan made once instead of a graph per step. The same
     * bits either way; a batch the plan does not take runs eagerly. One difference: when a
     * non-finite loss stops training, the compiled step has already filled the gradients (the
     * parameters are untouched either way), where the eager step stops before backward.
     */
    public Trainer compileSteps(boolean on) {
        this.compileSteps = on;
        return this;
    }

    /**
     * Whether eager steps run captured (default on): the first step of each batch shape runs
     * eagerly and records the storage it allocates; later steps of that shape replay it on
     * buffers planned once ({@link CapturedStep}), with the same bits as eager steps, so a steady
     * loop allocates nothing. A step that allocates differently from its capture finishes
     * eagerly and is captured again. Off for sharded steps and for gradient accumulation (whose
     * gradients outlive a step). As with {@link #reuseMemory}, a parameter gradient kept across
     * steps shows a later step's values.
     */
    public Trainer captureSteps(boolean on) {
        this.captureSteps = on;
        return this;
    }

    /**
     * Sharded steps (default 1, the plain step): each step's global batch of B rows is split into
     * {@code s} equal shards of B/s rows, each shard's gradient of its <em>mean</em> loss is
     * computed by the ordinary forward and backward, and the shard gradients are combined by the
     * fixed pairwise tree over shard index ({@link ShardTree}) times 1/s; the optimizer
     * (clipping, schedule, update) then applies to that gradient. Dropout draws from a generator
     * keyed by (seed, step, shard); batch norm normalizes per shard (as DDP without SyncBatchNorm)
     * and its running statistics become the tree-mean of the shards' updates (see
     * {@link ShardedStep}).
     *
     * <p>This is a single-process definition of data-parallel training: the same run spread over
     * threads or machines (a {@link #reducer}) gives the same bits, whatever the number of
     * participants. {@code s} must be a power of two (so 1/s is exact) dividing the batch size;
     * with {@code s > 1} an epoch's last, partial batch is dropped (every shard needs its B/s rows)
     * and gradient accumulation is refused. {@code shards(1)} is the plain step, bit for bit.
     * Against the plain step with the same batch, {@code s > 1} agrees to rounding (about 1e-7
     * relative): a matrix multiply sums a batch's rows in its own order.
     */
    public Trainer shards(int s) {
        if (!ShardTree.isValidCount(s)) throw new IllegalArgumentException("shards must be a power of two (1, 2, 4, ...), got " + s);
        this.shards = s;
        return this;
    }

    /**
     * The participant this trainer is in a sharded run of several (default: a group of one that
     * computes every shard). It computes only its own range of shards and exchanges tree nodes
     * with the others, which train their own copies of the same model from the same data, seed
     * and configuration; all copies then take the same steps.
     */
    public Trainer reducer(GradientReducer r) {
        this.reducer = r;
        return this;
    }

    /** Trains on {@code train}; returns per-epoch metrics and why training ended. */
    public TrainResult fit(TensorDataset train) {
        Optimizer optimizer = spec.bind(model.namedParameters());
        Generator dropout = Generator.seeded(seed ^ DROPOUT_STREAM);
        model.setGenerator(dropout);
        checkShards(train);
        DataLoader loader = DataLoader.of(train, batchSize, shuffle, dropLast || shards > 1, seed);
        if (!prefetch) loader = loader.withoutPrefetch();
        Run run = new Run(optimizer, dropout, loader);
        if (resumeFrom != null) {
            resumeFrom.restore(model, optimizer, Map.of("dropout", dropout), callbacks);
            run.epoch = (int) resumeFrom.epoch();
            run.step = resumeFrom.step();
            run.lastValidation = resumeFrom.lastValidation();
            run.lossSum = resumeFrom.epochLossSum();
            run.lossCount = resumeFrom.epochLossCount();
        }
        return run.go(train);
    }

    private void checkShards(TensorDataset train) {
        if (shards == 1 && (reducer == null || reducer.parties() == 1)) return;
        int rows = batchSize == DataLoader.FULL ? train.size() : batchSize;
        if (rows % shards != 0) {
            throw new IllegalArgumentException("shards " + shards + " does not divide the batch size " + rows
                    + (batchSize == DataLoader.FULL ? " (the whole training set)" : ""));
        }
        if (rows > train.size()) {
            throw new IllegalArgumentException("the batch size " + rows + " exceeds the " + train.size()
                    + " training rows: with shards every step needs a full batch");
        }
        if (spec.accumulation().every() > 1) {
            throw new IllegalArgumentException("shards and gradient accumulation cannot be combined: raise the batch size instead");
        }
    }

    /**
     * How the last {@link #fit} ran its eager steps: "captured N, replayed M" with the last
     * fallback's reason, or why steps were not captured at all; null before any fit.
     */
    public String captureSummary() {
        if (lastCaptured == null) return lastNotCapturedReason == null ? null : "not captured: " + lastNotCapturedReason;
        return "captured " + lastCaptured.captures() + ", replayed " + lastCaptured.replays()
                + (lastCaptured.lastReason() == null ? "" : "; last step: " + lastCaptured.lastReason());
    }

    /** The last fit's captured step (closed: its counts remain), or null. For tests. */
    CapturedStep lastCaptured() {
        return lastCaptured;
    }

    /** Evaluates the model on data: "loss" plus each metric, in eval mode without recording. */
    public static Map<String, Double> evaluate(Module model, Loss loss, TensorDataset data, List<Metric> metrics) {
        boolean wasTraining = model.isTraining();
        model.eval();
        try (var scope = GradMode.noGrad()) {
            Tensor outputs = predict(model, data.features());
            Map<String, Double> out = new LinkedHashMap<>();
            out.put("loss", loss.apply(outputs, data.targets()).item());
            for (Metric m : metrics) out.put(m.name(), m.compute(outputs, data.targets()));
            return out;
        } finally {
            model.train(wasTraining);
        }
    }

    /** The model's outputs for every row of x, computed in chunks of 1024 rows without recording. */
    public static Tensor predict(Module model, Tensor x) {
        try (var scope = GradMode.noGrad()) {
            int n = x.size(0), chunk = 1024;
            if (n <= chunk) return model.forward(x);
            List<Tensor> parts = new ArrayList<>();
            // A chunk's activations are dead once its output is copied out: the chunks of one
            // shape replay the first one's storage (a model that may keep activations allocates afresh).
            try (CapturedStep chunks = model.keepsActivations() || CapturedStep.isRunning() ? null : CapturedStep.create()) {
                for (int from = 0; from < n; from += chunk) {
                    Tensor rows = x.narrow(0, from, Math.min(chunk, n - from)).contiguous();
                    if (chunks == null) {
                        parts.add(model.forward(rows));
                        continue;
                    }
                    try (var step = chunks.begin(CapturedStep.signature(rows))) {
                        parts.add(model.forward(rows).copy());
                    }
                }
            }
            return Tensor.cat(parts, 0);
        }
    }

    /** The mutable state of one fit call. */
    private final class Run implements TrainingControl {
        final Optimizer optimizer;
        final Generator dropout;
        final DataLoader loader;
        int epoch;
        long step;
        /** Steps of this call skipped for a non-finite loss. */
        long skipped;
        String stopReason;
        Map<String, Double> lastValidation = Map.of();
        /** The finite step losses of the epoch in progress: their sum and count (part of a mid-epoch checkpoint). */
        double lossSum;
        long lossCount;
        final long started = System.nanoTime();
        /** The compiled step, or null to run every step eagerly. */
        final CompiledStep compiled;
        /** Whether the last step ran the compiled plan: its gradients belong to the plan, not to be released. */
        boolean lastCompiled;
        /** The sharded step, or null for the plain one. */
        final ShardedStep sharded;
        /** Eager steps captured and replayed on planned storage, or null to run them plainly. */
        final CapturedStep captured;
        /** Why eager steps are not captured (null when they are). */
        final String notCapturedReason;

        Run(Optimizer optimizer, Generator dropout, DataLoader loader) {
            this.optimizer = optimizer;
            this.dropout = dropout;
            this.loader = loader;
            boolean shard = shards > 1 || (reducer != null && reducer.parties() > 1);
            CompiledStep c = compileSteps && !shard ? CompiledStep.of(model, loss, optimizer) : null;
            this.compiled = c != null && c.isCompiled() ? c : null;
            String why = !captureSteps ? "captureSteps(false)"
                    : optimizer.spec().accumulation().every() > 1 ? "gradient accumulation (gradients outlive a step)"
                    : outsideOptimizer(optimizer);
            this.notCapturedReason = why != null ? why : keeper();
            // a sharded step captures its shards' forward and backward itself
            this.sharded = shard ? new ShardedStep(model, loss, List.copyOf(optimizer.parameters().values()),
                    reducer != null ? reducer : GradientReducer.single(), shards, seed, reuseMemory, notCapturedReason == null) : null;
            this.captured = notCapturedReason == null && !shard ? CapturedStep.create() : null;
            lastCaptured = captured;
            lastNotCapturedReason = notCapturedReason;
        }

        /**
         * A model parameter that requires gradients but is not the optimizer's: its gradient adds
         * up across steps (no zeroGrad clears it), so it would outlive the step that allocated it.
         */
        private String outsideOptimizer(Optimizer optimizer) {
            java.util.Set<Tensor> updated = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            updated.addAll(optimizer.parameters().values());
            for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
                if (e.getValue().requiresGrad() && !updated.contains(e.getValue())) {
                    return "parameter '" + e.getKey() + "' requires gradients but the optimizer does not update it (its gradient outlives a step)";
                }
            }
            return null;
        }

        /**
         * A module that may keep activations beyond a step ({@link Module#keepsActivations()}: in a
         * field, a cache, state carried to the next batch), whose storage a replayed step would
         * overwrite; null when every module says it keeps none.
         */
        private String keeper() {
            if (!model.keepsActivations()) return null;
            String name = model.getClass().getSimpleName();
            for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
                Module m = e.getValue();
                if (m.keepsActivations() && m.namedChildren().values().stream().noneMatch(Module::keepsActivations)) {
                    name = (e.getKey().isEmpty() ? "" : e.getKey() + " ") + "(" + m.getClass().getSimpleName() + ")";
                    break;
                }
            }
            return "module " + name + " may keep activations beyond a step (Module.keepsActivations; override it to return false if it keeps none)";
        }

        @Override public Module model() { return model; }
        @Override public Optimizer optimizer() { return optimizer; }
        @Override public int completedEpochs() { return epoch; }

        @Override
        public void requestStop(String reason) {
            if (stopReason == null) stopReason = "stopped: " + reason;
        }

        @Override
        public Checkpoint checkpoint() {
            return Checkpoint.capture(model, optimizer, Map.of("dropout", dropout), callbacks, lastValidation, epoch, step, lossSum, lossCount);
        }

        private void fire(TrainingEvent e) {
            for (Callback c : callbacks) c.onEvent(e, this);
        }

        private double seconds() {
            return secondsBefore + (System.nanoTime() - started) / 1e9;
        }

        TrainResult go(TensorDataset train) {
            List<Map<String, Double>> history = new ArrayList<>();
            int perEpoch = loader.batchesPerEpoch();
            String reason = "completed";
            fire(new TrainingEvent.Start(epochs, maxSteps, perEpoch, train.size(), epoch, step, secondsBefore));
            try {
                while (epoch < epochs && step < maxSteps && stopReason == null) {
                    int skip = (int) (step - (long) epoch * perEpoch);
                    fire(new TrainingEvent.EpochStart(epoch));
                    int batchIndex = 0;
                    try (DataLoader.Batches batches = loader.epoch(epoch).iterator()) {
                        while (batches.hasNext()) {
                            Batch batch = batches.next();
                            if (batchIndex++ < skip) continue;
                            trainStep(batch, batchIndex - 1);
                            if (validateEvery > 0 && step % validateEvery == 0) validate();
                            if (stopReason != null || step >= maxSteps) break;
                        }
                    }
                    // Out of budget before the last batch, or stopped during the steps (a non-finite loss,
                    // an interruption, a callback): the epoch did not complete, and it has no epoch end
                    // and no checkpoint, so a resumed run redoes it from the previous one.
                    if (batchIndex < perEpoch || stopReason != null) break;
                    if (validateEvery == 0) validate();
                    epoch++;
                    Map<String, Double> m = new LinkedHashMap<>();
                    m.put("loss", lossCount == 0 ? Double.NaN : lossSum / lossCount);
                    // Before EpochEnd, whose checkpoint starts the next epoch
                    lossSum = 0;
                    lossCount = 0;
                    m.putAll(lastValidation);
                    history.add(m);
                    fire(new TrainingEvent.EpochEnd(epoch - 1, step, m, seconds()));
                }
                if (stopReason != null) reason = stopReason;
                else if (step >= maxSteps && epoch < epochs) reason = "completed: step budget of " + maxSteps + " reached";
            } catch (RuntimeException e) {
                reason = "failed: " + e.getMessage();
                fire(new TrainingEvent.End(step, epoch, reason));
                throw e;
            } finally {
                if (captured != null) captured.close();
                if (sharded != null) sharded.close();
            }
            fire(new TrainingEvent.End(step, epoch, reason));
            return new TrainResult(history, step, reason, seconds(), skipped);
        }

        private double trainStep(Batch batch, int batchIndex) {
            if (!reuseMemory) return step(batch, batchIndex);
            // The gradients zeroGrad is about to clear: nothing of the previous step reads them
            // any more (the optimizer has applied them); in the middle of an accumulation they
            // must keep adding up, and parameters outside the optimizer keep theirs, as in PyTorch.
            if (!optimizer.isAccumulating() && !lastCompiled) {
                for (Tensor p : optimizer.parameters().values()) {
                    Tensor g = p.grad();
                    if (g == null) continue;
                    p.zeroGrad();
                    g.release();
                }
            }
            try {
                return step(batch, batchIndex);
            } finally {
                // Nothing reads the batch after its step: the loader's next batches reuse its storage.
                batch.features().release();
                batch.targets().release();
            }
        }

        private double step(Batch batch, int batchIndex) {
            model.train();
            // the compiled plan fills the gradients with the loss; eagerly, backward comes after the check below
            lastCompiled = compiled != null && compiled.accepts(batch.features(), batch.targets());
            double value;
            double lr;
            StepReport report = null;
            if (sharded != null || lastCompiled) {
                // the gradients are in place (sharded: combined over the shards): no backward below
                value = sharded != null ? sharded.run(batch, step) : compiled.planned(batch.features(), batch.targets());
                lr = optimizer.currentLr();
                if (Double.isFinite(value)) report = optimizer.step();
            } else {
                optimizer.zeroGrad();
                CapturedStep.Session session = captured == null ? null : captured.begin(CapturedStep.signature(batch.features(), batch.targets()));
                try {
                    Tensor l = loss.apply(model.forward(batch.features()), batch.targets());
                    value = l.item();
                    lr = optimizer.currentLr();
                    if (Double.isFinite(value)) {
                        l.backward();
                        report = optimizer.step();
                    }
                } finally {
                    // Before the callbacks: what they allocate (or keep) is none of the step's.
                    if (session != null) session.close();
                }
            }
            if (report == null) {
                if (nonFinite == NonFinitePolicy.STOP) {
                    requestStop("loss is " + value + " at step " + (step + 1) + " (epoch " + (epoch + 1) + ", batch " + (batchIndex + 1)
                            + "); parameters are those before that step. Lower the learning rate or clip gradients");
                    return value;
                }
                step++;
                skipped++;
                fire(new TrainingEvent.Step(step, epoch, batchIndex, value, lr, Double.NaN, batch.size(), seconds(), true));
                return value;
            }
            step++;
            // Counted before the Step event: a checkpoint a callback takes there includes this step's loss.
            lossSum += value;
            lossCount++;
            fire(new TrainingEvent.Step(step, epoch, batchIndex, value, lr, report.gradNorm(), batch.size(), seconds(), false));
            return value;
        }

        private void validate() {
            if (validation == null) return;
            Map<String, Double> raw = evaluate(model, loss, validation, metrics);
            Map<String, Double> named = new LinkedHashMap<>();
            raw.forEach((k, v) -> named.put("val_" + k, v));
            lastValidation = named;
            if (optimizer.observesMetric()) {
                Double monitored = named.get(plateauMonitor);
                if (monitored == null) {
                    throw new IllegalArgumentException("reduce-on-plateau monitors '" + plateauMonitor + "', which validation does not produce "
                            + "(it produces " + named.keySet() + ")");
                }
                optimizer.observe(monitored);
            }
            fire(new TrainingEvent.Evaluated(step, epoch, named));
        }
    }
}
