package dev.descent.study;

import dev.descent.search.Dimension;
import dev.descent.search.FrozenTrial;
import dev.descent.search.Parameter;
import dev.descent.search.Params;
import dev.descent.search.SearchSpace;
import dev.descent.search.StudyStorage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One study of a {@link SqliteStudyStorage} seen through the search package's
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
 * <p>On opening, trials left RUNNING by a dead process are recorded as FAIL "interrupted" (their
 * number, parameters and intermediate values are kept). Values are stored as doubles, whole
 * numbers and strings, and read back as the space's own values (an int parameter as the
 * {@code Integer} it was sampled as, a choice as the choice object), so a trial read back equals
 * the trial written and a grid sampler recognizes the points it handed out; boolean categorical
 * choices are refused, since they would come back as strings.
 */
public final class SqliteStudy implements StudyStorage {
    private final SqliteStudyStorage db;
    private final long studyId;
    private final SearchSpace space;

    private SqliteStudy(SqliteStudyStorage db, long studyId, SearchSpace space) {
        this.db = db;
        this.studyId = studyId;
        this.space = space;
    }

    /**
     * Opens (or creates) the named study, failing over trials an earlier process left running.
     *
     * @throws StudyMismatchException when the study exists with the other direction or another
     *     search space; the database is left as it was
     */
    public static SqliteStudy open(SqliteStudyStorage db, String name, Direction direction, SearchSpace space) {
        return open(db, name, direction, space, null);
    }

    /**
     * {@link #open(SqliteStudyStorage, String, Direction, SearchSpace)} for a study that optimizes
     * the named metric: a study created with another metric is refused as well (two metrics of
     * the same direction, val_accuracy and val_f1 say, would otherwise mix in one history); a
     * study that has none stored (made before metrics were stored) adopts this one. A null
     * metric checks and stores nothing.
     */
    public static SqliteStudy open(SqliteStudyStorage db, String name, Direction direction, SearchSpace space, String metric) {
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
        db.failInterruptedTrials(id, Duration.ZERO);
        return new SqliteStudy(db, id, space);
    }

    @Override
    public int createTrial() {
        return db.createTrial(studyId).number();
    }

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
    public void finish(int number, dev.descent.search.TrialState state, Double value, String error) {
        db.finish(id(number), TrialState.valueOf(state.name()), value, error);
    }

    @Override
    public FrozenTrial trial(int number) {
        for (FrozenTrial t : trials()) if (t.number() == number) return t;
        throw new IllegalArgumentException("no trial " + number + " in study " + studyId);
    }

    @Override
    public List<FrozenTrial> trials() {
        List<FrozenTrial> out = new ArrayList<>();
        for (TrialRecord r : db.trials(studyId)) {
            TreeMap<Integer, Double> steps = new TreeMap<>();
            r.intermediates().forEach((s, v) -> steps.put(Math.toIntExact(s), v));
            boolean valued = r.state() == TrialState.COMPLETE || r.state() == TrialState.PRUNED;
            out.add(new FrozenTrial(r.number(), new Params(spaceValues(r.params())), dev.descent.search.TrialState.valueOf(r.state().name()),
                    valued ? r.value() : null, steps, r.error()));
        }
        return out;
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
}
