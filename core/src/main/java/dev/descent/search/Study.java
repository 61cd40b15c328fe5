package dev.descent.search;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hyperparameter search in ask/tell form: {@link #ask()} samples a trial, the caller evaluates
 * it, {@link #tell} records the outcome. {@link #optimize} runs that loop on several threads.
 *
 * <p>Reproducibility: trial {@code n} samples with {@code new SplittableRandom(mix(seed, n))}, and
 * what it learns from does not depend on timing either. With {@code P} threads, trial {@code n}
 * sees the outcomes of exactly trials {@code 0 .. n - P}, waiting for those still running, and
 * trials {@code n - P + 1 .. n - 1} as running, even those that have finished
 * ({@link HistoryWindow}); its pruner compares it with trials {@code 0 .. n - P} only. So every
 * sampler and pruner gives the same trials for the same seed and {@code P} however the threads are
 * scheduled, provided the objective's value depends only on the trial (its params and number).
 * {@code P = 1} is the ordinary sequential history. The price is some waiting: a trial much
 * slower than the rest lets the {@code P - 1} trials after it start, but holds back trial
 * {@code n + P} and every later one until it finishes. Trials of similar length do not wait.
 *
 * <p>A study continued from storage (say after an interruption) goes on the same way from what is
 * stored: continuing the same stored study twice gives the same trials, and extending a study that
 * ended normally gives the trials a longer run with the same {@code P} would have given. A trial
 * cut off by the interruption is stored as failed, so the trials after it differ from an
 * uninterrupted run's.
 */
public final class Study {
    private final SearchSpace space;
    private final Direction direction;
    private final Sampler sampler;
    private final Pruner pruner;
    private final long seed;
    private final StudyStorage storage;
    // Sampling and trial creation form one step, so two concurrent asks never see the same history
    // and a grid point is handed out once.
    private final Object askLock = new Object();

    private Study(SearchSpace space, Direction direction, Sampler sampler, Pruner pruner, long seed, StudyStorage storage) {
        this.space = Objects.requireNonNull(space, "space");
        this.direction = Objects.requireNonNull(direction, "direction");
        this.sampler = Objects.requireNonNull(sampler, "sampler");
        this.pruner = Objects.requireNonNull(pruner, "pruner");
        this.seed = seed;
        this.storage = Objects.requireNonNull(storage, "storage");
    }

    public static Study create(SearchSpace space, Direction direction, Sampler sampler, Pruner pruner, long seed, StudyStorage storage) {
        return new Study(space, direction, sampler, pruner, seed, storage);
    }

    public static Study create(SearchSpace space, Direction direction, Sampler sampler, Pruner pruner, long seed) {
        return new Study(space, direction, sampler, pruner, seed, new InMemoryStudyStorage());
    }

    public SearchSpace space() {
        return space;
    }

    public Direction direction() {
        return direction;
    }

    Pruner pruner() {
        return pruner;
    }

    StudyStorage storage() {
        return storage;
    }

    /** Seed of trial {@code number}'s generator: SplitMix64's finalizer over seed and number, so neighbouring trials get unrelated streams. */
    static long trialSeed(long seed, int number) {
        long z = seed + 0x9E3779B97F4A7C15L * (number + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Creates a trial and samples its parameters from the study as it is now (every trial told so
     * far); its pruner compares it with every other trial. For trials asked by hand; those of
     * {@link #optimize} see the timing-independent history described above.
     *
     * @throws SearchExhaustedException when the sampler has nothing left; no trial is created then
     */
    public Trial ask() {
        synchronized (askLock) {
            List<FrozenTrial> history = storage.trials();
            return create(history.size(), history, Integer.MAX_VALUE);
        }
    }

    /** What asking for the next trial of an optimize call gave. */
    private sealed interface Next {
        /** A trial to run. */
        record Run(Trial trial) implements Next {}

        /** Nothing now: the budget is spent (other workers may still be running trials). */
        record Spent() implements Next {}

        /** Nothing ever: the run was abandoned, the deadline passed, or the sampler has nothing left. */
        record Stop() implements Next {}
    }

    /**
     * The next trial of an optimize call running {@code parallel} trials at once: waits until the
     * trials within its horizon are finished, then samples from the {@link HistoryWindow} view.
     * Holding the ask lock while waiting is what keeps numbers in order, and costs nothing: the
     * next trial's horizon is higher still, so it could not start sooner.
     *
     * <p>The storage numbers the trial. Alone on the study, it numbers it {@code expected} (the
     * trials stored so far), which the parameters were sampled for; when other workers have
     * created trials meanwhile, it gets a higher number, and is sampled again for that number from
     * the trials before it as they are then, which depends on timing.
     */
    private Next nextTrial(int parallel, InFlight inFlight, long deadline, TrialBudget budget) {
        synchronized (askLock) {
            int expected = storage.trials().size();
            int horizon = HistoryWindow.horizon(expected, parallel);
            if (!inFlight.awaitUpTo(horizon) || System.nanoTime() >= deadline) return new Next.Stop();
            Params params;
            Optional<StudyStorage.NewTrial> created;
            try {
                params = sample(expected, horizon);
            } catch (SearchExhaustedException e) {
                return new Next.Stop();
            }
            created = storage.createTrial(budget, horizon);
            if (created.isEmpty() && budget.retryFailed() > 0) {
                // Spent, but a failed trial above the horizon may still await its re-run, and no
                // later ask would reach it (the horizon grows only with new trials): once this
                // call's own trials have all finished, so that what failed is settled, look at all.
                if (!inFlight.awaitUpTo(Integer.MAX_VALUE)) return new Next.Stop();
                created = storage.createTrial(budget, Integer.MAX_VALUE);
            }
            if (created.isEmpty()) return new Next.Spent();
            int number = created.get().number();
            if (created.get().retried() != null) {
                params = created.get().retried();
            } else {
                if (number != expected) {
                    horizon = HistoryWindow.horizon(number, parallel);
                    try {
                        params = sample(number, horizon);
                    } catch (SearchExhaustedException e) {
                        storage.finish(number, TrialState.FAIL, null, "the sampler has nothing left to try");
                        return new Next.Stop();
                    }
                }
                storage.setParams(number, params);
            }
            inFlight.started(number);
            return new Next.Run(new Trial(this, number, params, horizon));
        }
    }

    /** Trial {@code number}'s parameters, sampled from the trials before it as seen with this horizon. */
    private Params sample(int number, int horizon) {
        List<FrozenTrial> before = storage.trials().stream().filter(t -> t.number() < number).toList();
        return new Params(sampler.sample(space, HistoryWindow.view(before, horizon), direction, new SplittableRandom(trialSeed(seed, number))));
    }

    private Trial create(int number, List<FrozenTrial> history, int horizon) {
        Params params = new Params(sampler.sample(space, history, direction, new SplittableRandom(trialSeed(seed, number))));
        int created = storage.createTrial();
        if (created != number) {
            // another worker of a shared storage created trials meanwhile: sample for the number given
            try {
                params = sample(created, horizon);
            } catch (SearchExhaustedException e) {
                storage.finish(created, TrialState.FAIL, null, "the sampler has nothing left to try");
                throw e;
            }
        }
        storage.setParams(created, params);
        return new Trial(this, created, params, horizon);
    }

    /** Records a completed trial; a NaN value is recorded as FAIL, as it cannot be ranked. */
    public void tell(Trial trial, double value) {
        if (Double.isNaN(value)) storage.finish(trial.number(), TrialState.FAIL, null, "objective returned NaN");
        else storage.finish(trial.number(), TrialState.COMPLETE, value, null);
    }

    /** Records a failed trial with the reason. */
    public void tellFailure(Trial trial, String error) {
        storage.finish(trial.number(), TrialState.FAIL, null, Objects.requireNonNull(error, "error"));
    }

    /**
     * Records a pruned trial. As in Optuna, its value is its last intermediate value: where it
     * stood when it was stopped. It has none when it reported nothing or its last value is NaN.
     */
    public void tellPruned(Trial trial) {
        FrozenTrial t = storage.trial(trial.number());
        Double last = t.intermediate().isEmpty() ? null : t.intermediate().get(t.lastStep());
        storage.finish(trial.number(), TrialState.PRUNED, last == null || last.isNaN() ? null : last, null);
    }

    /**
     * Runs {@code nTrials} trials (fewer if the timeout passes or the sampler is exhausted) on
     * {@code nThreads} threads, each trial seeing the history described above for
     * {@code P = nThreads}. An objective that throws {@link TrialPrunedException} gives a PRUNED
     * trial; any other exception gives a FAIL trial with its message, and the study goes on. The
     * timeout (null for none) stops new trials from starting; running ones finish.
     */
    public void optimize(Objective objective, int nTrials, Duration timeout, int nThreads) {
        if (nTrials < 0) throw new IllegalArgumentException("nTrials must be >= 0, got " + nTrials);
        optimize(objective, nTrials, new TrialBudget(Integer.MAX_VALUE, 0), timeout, nThreads);
    }

    /**
     * Runs trials on {@code nThreads} threads until the study holds the budget's total (counted in
     * the storage, so any number of workers sharing it stop at the same total), the timeout
     * passes or the sampler is exhausted; failed trials are re-run as the budget allows. When the
     * budget is spent while other workers of a shared storage still run trials, this call waits
     * for them (polling at the storage's {@link StudyStorage#sharedPollInterval interval}): they
     * may finish, or fail by heartbeat and need a re-run, so a study is never left with trials
     * stuck RUNNING while a worker is alive. Alone on the study, with the same seed and threads,
     * it gives the same trials as {@link #optimize(Objective, int, Duration, int)}.
     */
    public void optimize(Objective objective, TrialBudget budget, Duration timeout, int nThreads) {
        optimize(objective, Integer.MAX_VALUE, Objects.requireNonNull(budget, "budget"), timeout, nThreads);
    }

    private void optimize(Objective objective, int nTrials, TrialBudget budget, Duration timeout, int nThreads) {
        Objects.requireNonNull(objective, "objective");
        if (nThreads < 1) throw new IllegalArgumentException("nThreads must be >= 1, got " + nThreads);
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        AtomicInteger started = new AtomicInteger();
        InFlight inFlight = new InFlight();
        Runnable worker = () -> {
            try {
                while (started.get() < nTrials && System.nanoTime() < deadline) {
                    if (started.getAndIncrement() >= nTrials) return;
                    switch (nextTrial(nThreads, inFlight, deadline, budget)) {
                        case Next.Run(Trial trial) -> {
                            try {
                                run(objective, trial);
                            } finally {
                                inFlight.finished(trial.number());
                            }
                        }
                        case Next.Spent() -> {
                            started.decrementAndGet();
                            if (!awaitOthers(inFlight, deadline)) return;
                        }
                        case Next.Stop() -> {
                            return;
                        }
                    }
                }
            } catch (RuntimeException | Error e) {
                inFlight.abandon(); // the call fails: the other workers start no more trials
                throw e;
            }
        };
        if (nThreads == 1) {
            worker.run();
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(nThreads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < nThreads; i++) futures.add(pool.submit(worker));
            for (Future<?> f : futures) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while optimizing", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a study worker failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
            try {
                pool.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * After the budget was found spent: whether to ask again, after a pause, because trials that
     * no thread of this call runs are still RUNNING in a shared storage. False when the storage is
     * not shared, none is running elsewhere, the deadline passed or the call was abandoned.
     */
    private boolean awaitOthers(InFlight inFlight, long deadline) {
        Optional<Duration> poll = storage.sharedPollInterval();
        if (poll.isEmpty()) return false;
        boolean othersRunning = storage.trials().stream().anyMatch(t -> t.state() == TrialState.RUNNING && !inFlight.isRunning(t.number()));
        if (!othersRunning) return false;
        long pause = Math.min(poll.get().toNanos(), deadline - System.nanoTime());
        if (pause <= 0) return false;
        return inFlight.pause(pause);
    }

    /** Evaluates and records one trial; a trial another worker failed meanwhile is dropped, its failure standing. */
    private void run(Objective objective, Trial trial) {
        try {
            evaluate(objective, trial);
        } catch (TrialAbandonedException e) {
            // another worker judged this trial dead (stale heartbeat) and failed it; its outcome is that failure
        }
    }

    private void evaluate(Objective objective, Trial trial) {
        double value;
        try {
            value = objective.evaluate(trial);
        } catch (TrialAbandonedException e) {
            throw e;
        } catch (TrialPrunedException e) {
            tellPruned(trial);
            return;
        } catch (Exception | AssertionError | StackOverflowError e) {
            // Errors a user's objective can cause are recorded; OutOfMemoryError and the like propagate.
            String msg = e.getMessage();
            tellFailure(trial, e.getClass().getSimpleName() + (msg == null ? "" : ": " + msg));
            return;
        }
        tell(trial, value);
    }

    /** All trials in number order. */
    public List<FrozenTrial> trials() {
        return storage.trials();
    }

    /** The COMPLETE trial with the best value (the lowest-numbered one among ties), if any. */
    public Optional<FrozenTrial> bestTrial() {
        Comparator<FrozenTrial> byLoss = Comparator.comparingDouble(t -> direction.asLoss(t.value()));
        return storage.trials().stream().filter(t -> t.state() == TrialState.COMPLETE).min(byLoss.thenComparingInt(FrozenTrial::number));
    }
}
