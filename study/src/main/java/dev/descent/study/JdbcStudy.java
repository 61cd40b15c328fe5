package dev.descent.study;

import dev.descent.search.Dimension;
import dev.descent.search.Direction;
import dev.descent.search.FrozenTrial;
import dev.descent.search.Parameter;
import dev.descent.search.Params;
import dev.descent.search.SearchSpace;
import dev.descent.search.StudyStorage;
import dev.descent.search.TrialBudget;
import dev.descent.search.TrialState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One study of a {@link JdbcStudyStorage} seen through the search package's
 * {@link StudyStorage} interface, so {@code dev.descent.search.Study} runs on a durable database:
 * interrupt the process, open the same study again, and it continues with the next trial number,
 * without repeating finished trials.
 *
 * <p>A study keeps the direction and the search space it was created with (the space as
 * {@link SearchSpaceJson canonical JSON}); opening it with another direction or another space
 * (a parameter added, removed, or with other bounds, choices, step, log flag or condition) is
 * refused with a {@link StudyMismatchException} naming the first difference, because its history
 * would not describe the new search. A study stored without a space (written by schema version 1)
 * adopts the space it is next opened with.
 *
 * <p><b>Workers.</b> Any number of workers (threads, processes, machines) may open the same study
 * and run its trials together. While this worker runs a trial, a daemon thread refreshes the
 * trial's heartbeat every {@link Heartbeat#interval()}; a RUNNING trial whose heartbeat is older
 * than {@link Heartbeat#grace()} belongs to a dead worker, and is recorded as FAIL "interrupted"
 * (its number, parameters and intermediate values kept) when a worker opens the study or asks for
 * a trial. A worker whose trial was failed under it (it stalled past the grace period) finds out
 * at its next write, which throws {@link dev.descent.search.TrialAbandonedException}, and drops
 * the trial. Values are stored as doubles, whole
 * numbers and strings, and read back as the space's own values (an int parameter as the
 * {@code Integer} it was sampled as, a choice as the choice object), so a trial read back equals
 * the trial written and a grid sampler recognizes the points it handed out; boolean categorical
 * choices are refused, since they would come back as strings.
 */
public final class JdbcStudy implements StudyStorage, AutoCloseable {
    /**
     * How a worker shows that its trials are alive, and how long another worker waits before it
     * judges a silent trial abandoned.
     *
     * @param interval how often the heartbeat of each running trial is refreshed
     * @param grace    how old a heartbeat may be before the trial is failed; longer than the interval
     */
    public record Heartbeat(Duration interval, Duration grace) {
        /** Every 10 seconds, abandoned after 2 intervals: a live worker would have to miss two beats in a row. */
        public static final Heartbeat DEFAULT = of(Duration.ofSeconds(10));

        public Heartbeat {
            if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("heartbeat interval must be positive, got " + interval);
            if (grace.compareTo(interval) <= 0) throw new IllegalArgumentException("heartbeat grace " + grace + " must exceed the interval " + interval);
        }

        /** A heartbeat every {@code interval}, with a grace of two intervals. */
        public static Heartbeat of(Duration interval) {
            return new Heartbeat(interval, interval.multipliedBy(2));
        }
    }

    private final JdbcStudyStorage db;
    private final long studyId;
    private final SearchSpace space;
    private final Heartbeat heartbeat;
    /** The trials this worker runs, whose heartbeats it sends. */
    private final Set<Integer> running = new ConcurrentSkipListSet<>();
    private final ScheduledExecutorService beater;

    private JdbcStudy(JdbcStudyStorage db, long studyId, SearchSpace space, Heartbeat heartbeat) {
        this.db = db;
        this.studyId = studyId;
        this.space = space;
        this.heartbeat = heartbeat;
        this.beater = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "study-heartbeat");
            t.setDaemon(true);   // never keeps a finished process alive
            return t;
        });
        long every = heartbeat.interval().toMillis();
        beater.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
    }

    /** One heartbeat for every trial this worker runs; trials failed under it are no longer beaten for. */
    private void beat() {
        try {
            running.removeAll(db.heartbeat(studyId, List.copyOf(running)));
        } catch (RuntimeException e) {
            // the database is unreachable or locked right now: the next beat tries again, and the
            // grace period covers a missed one
        }
    }

    /**
     * Opens (or creates) the named study, failing over trials an earlier process left running.
     *
     * @throws StudyMismatchException when the study exists with the other direction or another
     *     search space; the database is left as it was
     */
    public static JdbcStudy open(JdbcStudyStorage db, String name, Direction direction, SearchSpace space) {
        return open(db, name, direction, space, null, Heartbeat.DEFAULT);
    }

    /** {@link #open(JdbcStudyStorage, String, Direction, SearchSpace, String, Heartbeat)} with the default heartbeat. */
    public static JdbcStudy open(JdbcStudyStorage db, String name, Direction direction, SearchSpace space, String metric) {
        return open(db, name, direction, space, metric, Heartbeat.DEFAULT);
    }

    /**
     * {@link #open(JdbcStudyStorage, String, Direction, SearchSpace)} for a study that optimizes
     * the named metric: a study created with another metric is refused as well (two metrics of
     * the same direction, val_accuracy and val_f1 say, would otherwise mix in one history); a
     * study that has none stored (made before metrics were stored) adopts this one. A null
     * metric checks and stores nothing. This worker's trials send heartbeats as {@code heartbeat}
     * says, and trials silent for longer than its grace are failed as abandoned.
     */
    public static JdbcStudy open(JdbcStudyStorage db, String name, Direction direction, SearchSpace space, String metric, Heartbeat heartbeat) {
        long id = db.createStudy(name, direction);
        String storedMetric = metric == null ? null : db.metric(id);
        // checked before anything is written, so a refused open leaves the study as it was
        if (storedMetric != null && !storedMetric.equals(metric)) {
            throw new StudyMismatchException(name, db.location(), "metric " + storedMetric, "metric " + metric);
        }
        String definition = SearchSpaceJson.write(space);
        String stored = db.storeSearchSpaceIfAbsent(id, definition);
        if (!stored.equals(definition)) {
            List<Parameter> created;
            try {
                created = SearchSpaceJson.read(stored);
            } catch (IllegalArgumentException e) {
                throw new StudyStorageException("study \"" + name + "\" in " + db.location() + " has an unreadable search space ("
                        + e.getMessage() + "); use another study name or storage");
            }
            Optional<SpaceDifference> d = SpaceDifference.between(created, SearchSpaceJson.read(definition));
            if (d.isPresent()) throw new StudyMismatchException(name, db.location(), d.get().created(), d.get().now());
        }
        if (metric != null) db.storeMetricIfAbsent(id, metric);
        db.failInterruptedTrials(id, heartbeat.grace());
        return new JdbcStudy(db, id, space, heartbeat);
    }

    @Override
    public int createTrial() {
        int number = db.createTrial(studyId).number();
        running.add(number);
        return number;
    }

    @Override
    public Optional<NewTrial> createTrial(TrialBudget budget, int retryUpTo) {
        Optional<JdbcStudyStorage.Created> created = db.createTrial(studyId, budget, retryUpTo, heartbeat.grace());
        if (created.isEmpty()) return Optional.empty();
        int number = created.get().trial().number();
        running.add(number);
        Params retried = created.get().retryOf() < 0 ? null : trial(number).params();
        return Optional.of(new NewTrial(number, retried));
    }

    /**
     * Other workers may run this study: a spent budget is looked at again every half heartbeat
     * interval, at most a second apart (one cheap query), so a worker notices soon that the others
     * finished, and fails a dead worker's trials within half an interval of the grace.
     */
    @Override
    public Optional<Duration> sharedPollInterval() {
        Duration half = heartbeat.interval().dividedBy(2);
        return Optional.of(half.compareTo(MAX_POLL) < 0 ? half : MAX_POLL);
    }

    private static final Duration MAX_POLL = Duration.ofSeconds(1);

    @Override
    public void setParams(int number, Params params) {
        Map<String, Object> stored = new LinkedHashMap<>();
        params.values().forEach((k, v) -> stored.put(k, storable(k, v)));
        db.setParams(id(number), stored);
    }

    private static Object storable(String name, Object v) {
        if (v instanceof Boolean) {
            throw new IllegalArgumentException("parameter '" + name + "': a durable study stores numbers and strings;"
                    + " use the strings \"true\"/\"false\" as choices instead of booleans");
        }
        return widened(v);
    }

    /** The value in the type the database keeps: Integer as Long, Float as Double. */
    private static Object widened(Object v) {
        return switch (v) {
            case Integer i -> (long) i;
            case Float f -> (double) f;
            default -> v;
        };
    }

    @Override
    public void reportIntermediate(int number, int step, double value) {
        // The search package keeps the first value reported for a step (as Optuna does).
        FrozenTrial t = trial(number);
        if (!t.intermediate().containsKey(step)) db.reportIntermediate(id(number), step, value);
    }

    @Override
    public void finish(int number, TrialState state, Double value, String error) {
        try {
            db.finish(id(number), state, value, error);
        } finally {
            running.remove(number);
        }
    }

    @Override
    public FrozenTrial trial(int number) {
        for (FrozenTrial t : trials()) if (t.number() == number) return t;
        throw new IllegalArgumentException("no trial " + number + " in study " + studyId);
    }

    @Override
    public List<FrozenTrial> trials() {
        return db.trials(studyId).stream().map(t -> t.withParams(new Params(spaceValues(t.params().values())))).toList();
    }

    /**
     * Stored values as the space's own objects: a Long of an int range back to its Integer, a
     * choice to the equal choice object. A value the space does not have (a study that adopted a
     * space after its earlier trials) stays as stored.
     */
    private Map<String, Object> spaceValues(Map<String, Object> stored) {
        Map<String, Object> out = new LinkedHashMap<>();
        stored.forEach((name, v) -> out.put(name, spaceValue(name, v)));
        return out;
    }

    private Object spaceValue(String name, Object stored) {
        Parameter p = space.parameters().stream().filter(q -> q.name().equals(name)).findFirst().orElse(null);
        if (p == null) return stored;
        if (p.dimension() instanceof Dimension.IntRange && stored instanceof Long l && l == l.intValue()) return l.intValue();
        if (p.dimension() instanceof Dimension.Categorical c) {
            for (Object choice : c.choices()) if (widened(choice).equals(stored)) return choice;
        }
        return stored;
    }

    private TrialId id(int number) {
        return new TrialId(studyId, number);
    }

    /** Stops the heartbeats (the database stays open: it is the caller's). */
    @Override
    public void close() {
        beater.shutdownNow();
    }
}
