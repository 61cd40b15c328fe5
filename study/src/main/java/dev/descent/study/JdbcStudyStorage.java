package dev.descent.study;

import dev.descent.search.Direction;
import dev.descent.search.FrozenTrial;
import dev.descent.search.TrialAbandonedException;
import dev.descent.search.TrialBudget;
import dev.descent.search.TrialState;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Study storage in a database that threads, processes and machines share: an SQLite file (one
 * machine) or a PostgreSQL database (any number of machines), given by URL ({@link StorageUrl}).
 * One schema ({@link Schema}) and the same queries serve both; {@link Dialect} holds the few
 * differences.
 *
 * <p><b>Concurrency.</b> Every write is one transaction that first locks what it goes on to
 * change: the whole file in SQLite ({@code BEGIN IMMEDIATE}, in WAL mode so readers never block
 * the writer), the study's row or the trial's row in PostgreSQL ({@code SELECT ... FOR UPDATE}).
 * So "next trial number = max + 1, insert it" is atomic across workers, and numbers come out
 * consecutive and unique. A writer that finds the lock held waits up to the busy timeout, then
 * fails with a {@link StudyStorageException} saying the database is locked. One instance holds
 * one connection and serializes its callers, so threads can share it.
 *
 * <p><b>Failures lose nothing.</b> A write either commits whole or rolls back whole, so a trial
 * whose {@link #finish} failed (say on a lock) is still RUNNING with all its parameters and
 * intermediate values, and finishing it can be retried. Finished trials are immutable: writing to
 * one throws {@link IllegalStateException}, or {@link TrialAbandonedException} when another
 * worker failed it for a stale heartbeat.
 *
 * <p><b>Heartbeats.</b> A worker refreshes the heartbeat of each trial it runs
 * ({@link #heartbeat(long, Collection)}; every parameter and intermediate report refreshes it
 * too). {@link #failInterruptedTrials} records as FAIL, with error "interrupted", only the RUNNING
 * trials whose heartbeat is older than the grace period given, keeping their number, parameters
 * and intermediate values as evidence; their re-runs are new trials ({@link #createTrial(long,
 * TrialBudget, int, Duration)}), so numbers are never reused. Times are the database's clock, in
 * epoch milliseconds. NaN cannot be stored in SQLite and is refused in both databases, so a study
 * means the same in either.
 */
public final class JdbcStudyStorage implements AutoCloseable {
    /** How long a write waits for another worker's lock (and a connection attempt for the server) before giving up. */
    public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(10);

    private static final int SQLITE_CORRUPT = 11, SQLITE_NOTADB = 26, SQLITE_BUSY = 5, SQLITE_LOCKED = 6;
    /** Transactions PostgreSQL aborted to break a deadlock or a serialization conflict: safe to run again. */
    private static final Set<String> RETRYABLE = Set.of("40001", "40P01");
    private static final int ATTEMPTS = 3;

    private final Connection connection;
    private final StorageUrl url;
    private final String location;
    private final Duration busyTimeout;

    private JdbcStudyStorage(Connection connection, StorageUrl url, Duration busyTimeout) {
        this.connection = connection;
        this.url = url;
        this.location = url.location();
        this.busyTimeout = busyTimeout;
    }

    /**
     * Opens (creating the tables if absent) the study database at {@code url}: a
     * {@code jdbc:sqlite:} URL, or a {@code jdbc:postgresql://} or {@code postgresql://} one.
     */
    public static JdbcStudyStorage open(String url) {
        return open(url, DEFAULT_BUSY_TIMEOUT);
    }

    /**
     * Opens (creating the tables if absent) the study database at {@code url}, waiting up to
     * {@code busyTimeout} whenever another connection holds the lock (and, for PostgreSQL, up to
     * that long to connect).
     *
     * @throws StudyStorageException when the URL is of an unknown kind, the server cannot be
     *     reached or refuses the login, the database is locked past the timeout, is not a Descent
     *     study database (not SQLite, corrupt, other tables, a newer schema), or cannot be opened;
     *     nothing is written then
     */
    public static JdbcStudyStorage open(String url, Duration busyTimeout) {
        if (busyTimeout.isNegative()) throw new IllegalArgumentException("busy timeout must not be negative, got " + busyTimeout);
        StorageUrl parsed;
        try {
            parsed = StorageUrl.parse(url);
        } catch (IllegalArgumentException e) {
            throw new StudyStorageException(e.getMessage());
        }
        Connection c = connect(parsed, busyTimeout);
        JdbcStudyStorage storage = new JdbcStudyStorage(c, parsed, busyTimeout);
        try {
            storage.initialize();
        } catch (RuntimeException e) {
            storage.closeQuietly();
            throw e;
        }
        return storage;
    }

    private static Connection connect(StorageUrl url, Duration busyTimeout) {
        url.dialect().loadDriver();
        Properties options = new Properties();
        if (url.dialect() == Dialect.POSTGRESQL) {
            long seconds = Math.max(1, busyTimeout.toSeconds());
            if (!url.jdbc().contains("connectTimeout=")) options.setProperty("connectTimeout", Long.toString(seconds));
            if (!url.jdbc().contains("loginTimeout=")) options.setProperty("loginTimeout", Long.toString(seconds));
            options.setProperty("ApplicationName", "descent");
        }
        try {
            return DriverManager.getConnection(url.jdbc(), options);
        } catch (SQLException e) {
            throw new StudyStorageException(url.scrub(cannotOpen(url.location(), e)), e);
        }
    }

    /** Why a connection failed, in one line: unreachable, login refused, no such database, or the driver's words. */
    private static String cannotOpen(String location, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = firstLine(e.getMessage());
        if (state.startsWith("08")) return "cannot reach study database " + location + ": " + message;
        if (state.startsWith("28")) return "cannot log in to study database " + location + ": " + message + " (check the user and password)";
        if (state.equals("3D000")) return "study database " + location + " does not exist: " + message + " (create it first: createdb)";
        return "cannot open study database " + location + ": " + message;
    }

    private static String firstLine(String message) {
        if (message == null) return "no reason given";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private void initialize() {
        try (Statement st = connection.createStatement()) {
            if (url.dialect() == Dialect.SQLITE) {
                st.execute("PRAGMA busy_timeout = " + busyTimeout.toMillis());
                st.execute("PRAGMA foreign_keys = ON");
            } else {
                // Transactions are the connection's: with auto-commit off, PostgreSQL starts one at the
                // first statement after a commit, and (unlike SQLite's IMMEDIATE) it holds no lock while idle.
                connection.setAutoCommit(false);
                st.execute("SET lock_timeout = " + busyTimeout.toMillis());
                connection.commit();
            }
        } catch (SQLException e) {
            throw translate(e, "configuring the connection");
        }
        // The schema check comes before switching to WAL so that a file which turns out not to be
        // ours is refused without having been modified.
        write("checking the schema", c -> {
            Schema.createOrCheck(c, url.dialect(), location);
            return null;
        });
        if (url.dialect() == Dialect.SQLITE) {
            try (Statement st = connection.createStatement()) {
                st.execute("PRAGMA journal_mode = WAL"); // persistent in the file; a no-op once set
            } catch (SQLException e) {
                throw translate(e, "switching to WAL mode");
            }
        }
    }

    /** The database file named in the URL (or ":memory:"), or the server URL without its password, for messages. */
    public String location() {
        return location;
    }

    /**
     * The id of the study called {@code name}, created with {@code direction} if there is none.
     *
     * @throws StudyMismatchException when the study exists with the other direction: resuming it
     *     as asked would silently rank its trials backwards
     */
    public long createStudy(String name, Direction direction) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a study needs a non-blank name");
        return write("creating study " + name, c -> {
            // Of two workers creating the study at once, one inserts and the other finds its row.
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO studies (name, direction, created_at) VALUES (?, ?, "
                    + url.dialect().nowMillis() + ") ON CONFLICT (name) DO NOTHING")) {
                ps.setString(1, name);
                ps.setString(2, direction.name());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT study_id, direction FROM studies WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!rs.getString(2).equals(direction.name())) {
                        throw new StudyMismatchException(name, location, "direction " + rs.getString(2).toLowerCase(Locale.ROOT),
                                "direction " + direction.name().toLowerCase(Locale.ROOT));
                    }
                    return rs.getLong(1);
                }
            }
        });
    }

    /**
     * The search space study {@code studyId} was created with, stored by the first caller:
     * {@code definition} is stored when the study has none yet (a new study, or one from a
     * version-1 file), and whatever is stored is returned. Atomic, so of two processes opening a
     * new study at once, both get the same answer. The text is opaque here; {@link JdbcStudy}
     * writes and compares it.
     */
    public String storeSearchSpaceIfAbsent(long studyId, String definition) {
        if (definition == null) throw new IllegalArgumentException("a search space definition is required");
        return storeIfAbsent(studyId, "search_space", definition, "the search space");
    }

    /** The metric study {@code studyId} optimizes, or null when none was stored (a study from before schema version 3). */
    public String metric(long studyId) {
        return studyColumn(studyId, "metric");
    }

    /** Stores the metric of study {@code studyId} unless it has one, atomically; returns the one it has now. */
    public String storeMetricIfAbsent(long studyId, String metric) {
        if (metric == null) throw new IllegalArgumentException("a metric name is required");
        return storeIfAbsent(studyId, "metric", metric, "the metric");
    }

    /** Sets a text column of the study's row when it is null; returns its value after. {@code column} is one of ours, never input. */
    private String storeIfAbsent(long studyId, String column, String value, String what) {
        return write("storing " + what + " of study " + studyId, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE studies SET " + column + " = COALESCE(" + column + ", ?) WHERE study_id = ? RETURNING " + column)) {
                ps.setString(1, value);
                ps.setLong(2, studyId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) throw new IllegalArgumentException("no study " + studyId + " in " + location);
                    return rs.getString(1);
                }
            }
        });
    }

    /** The direction of study {@code studyId}. */
    public Direction direction(long studyId) {
        return Direction.valueOf(studyColumn(studyId, "direction"));
    }

    /** A text column of the study's row. {@code column} is one of ours, never input. */
    private String studyColumn(long studyId, String column) {
        return read("reading the " + column + " of study " + studyId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + column + " FROM studies WHERE study_id = ?")) {
                ps.setLong(1, studyId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) throw new IllegalArgumentException("no study " + studyId + " in " + location);
                    return rs.getString(1);
                }
            }
        });
    }

    /** Creates a RUNNING trial with the study's next number (0 for the first). */
    public TrialId createTrial(long studyId) {
        return write("creating a trial in study " + studyId, c -> {
            lockStudy(c, studyId);
            return new TrialId(studyId, insertTrial(c, studyId, null, 0));
        });
    }

    /**
     * A trial made by {@link #createTrial(long, TrialBudget, int, Duration)}.
     *
     * @param trial   the new trial
     * @param retryOf the number of the failed trial whose parameters it re-runs (copied to it), or -1
     */
    public record Created(TrialId trial, int retryOf) {}

    /**
     * The step a worker of a shared study takes for its next trial, as one transaction under the
     * study's lock: fail the RUNNING trials whose heartbeat is older than {@code grace} (their
     * workers are gone); then re-run the lowest-numbered failed trial numbered at most
     * {@code retryUpTo} that the budget lets be retried (same parameters, a new number); else
     * create a new trial if the study counts fewer than the budget's total ({@link TrialBudget}).
     *
     * @return the trial, or empty when the budget is spent
     */
    public Optional<Created> createTrial(long studyId, TrialBudget budget, int retryUpTo, Duration grace) {
        return write("creating a trial in study " + studyId, c -> {
            lockStudy(c, studyId);
            failStale(c, studyId, grace);
            try (PreparedStatement ps = c.prepareStatement("SELECT trial_id, number, attempt FROM trials t WHERE study_id = ? AND state = 'FAIL'"
                    + " AND number <= ? AND attempt < ? AND " + NOT_RETRIED + " AND EXISTS (SELECT 1 FROM trial_params p WHERE p.trial_id = t.trial_id)"
                    + " ORDER BY number LIMIT 1")) {
                ps.setLong(1, studyId);
                ps.setInt(2, retryUpTo);
                ps.setInt(3, budget.retryFailed());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        long failedRow = rs.getLong(1);
                        int failed = rs.getInt(2), attempt = rs.getInt(3);
                        int number = insertTrial(c, studyId, failed, attempt + 1);
                        try (PreparedStatement copy = c.prepareStatement("INSERT INTO trial_params (trial_id, name, kind, real_value, int_value, text_value)"
                                + " SELECT (SELECT trial_id FROM trials WHERE study_id = ? AND number = ?), name, kind, real_value, int_value, text_value"
                                + " FROM trial_params WHERE trial_id = ?")) {
                            copy.setLong(1, studyId);
                            copy.setInt(2, number);
                            copy.setLong(3, failedRow);
                            copy.executeUpdate();
                        }
                        return Optional.of(new Created(new TrialId(studyId, number), failed));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM trials t WHERE study_id = ? AND " + NOT_RETRIED
                    + (budget.retryFailed() > 0 ? " AND NOT (" + NEVER_RAN + ")" : ""))) {
                ps.setLong(1, studyId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) >= budget.total()) return Optional.empty();
                }
            }
            return Optional.of(new Created(new TrialId(studyId, insertTrial(c, studyId, null, 0)), -1));
        });
    }

    /**
     * A failed trial t without parameters: its worker died before storing what it sampled, so it
     * never ran; with retries on it does not count toward the budget, and a new trial replaces it.
     */
    private static final String NEVER_RAN = "t.state = 'FAIL' AND NOT EXISTS (SELECT 1 FROM trial_params p WHERE p.trial_id = t.trial_id)";

    /** A trial t of the study that no other trial re-runs (a re-run failure no longer counts toward the budget). */
    private static final String NOT_RETRIED = "NOT EXISTS (SELECT 1 FROM trials r WHERE r.study_id = t.study_id AND r.retry_of = t.number)";

    /**
     * Locks the study's row until the transaction ends, so that trial numbers are allocated one
     * worker at a time (SQLite's write lock already covers the file).
     */
    private void lockStudy(Connection c, long studyId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT study_id FROM studies WHERE study_id = ?" + url.dialect().forUpdate())) {
            ps.setLong(1, studyId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new IllegalArgumentException("no study " + studyId + " in " + location);
            }
        }
    }

    /** Inserts a RUNNING trial numbered max + 1 (0 for the first); the caller holds the study's lock. */
    private int insertTrial(Connection c, long studyId, Integer retryOf, int attempt) throws SQLException {
        int number;
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(number) + 1, 0) FROM trials WHERE study_id = ?")) {
            ps.setLong(1, studyId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                number = rs.getInt(1);
            }
        }
        String now = url.dialect().nowMillis();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO trials (study_id, number, state, started_at, heartbeat_at, retry_of, attempt)"
                + " VALUES (?, ?, 'RUNNING', " + now + ", " + now + ", ?, ?)")) {
            ps.setLong(1, studyId);
            ps.setInt(2, number);
            if (retryOf == null) ps.setNull(3, Types.INTEGER);
            else ps.setInt(3, retryOf);
            ps.setInt(4, attempt);
            ps.executeUpdate();
        }
        return number;
    }

    /**
     * Stores the trial's parameters (Double, Long or String values; setting a name again replaces
     * its value). All or none are stored.
     */
    public void setParams(TrialId trial, Map<String, Object> params) {
        Map<String, ParamKind> kinds = new LinkedHashMap<>();
        params.forEach((name, value) -> kinds.put(name, ParamKind.of(name, value))); // refuse before touching the file
        write("storing parameters of " + trial, c -> {
            long rowId = runningTrialRow(c, trial);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO trial_params (trial_id, name, kind, real_value, int_value, text_value) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (trial_id, name)"
                            + " DO UPDATE SET kind = excluded.kind, real_value = excluded.real_value, int_value = excluded.int_value, text_value = excluded.text_value")) {
                for (Map.Entry<String, ParamKind> e : kinds.entrySet()) {
                    ps.setLong(1, rowId);
                    ps.setString(2, e.getKey());
                    ps.setString(3, e.getValue().name());
                    e.getValue().bind(ps, 4, params.get(e.getKey()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            touch(c, rowId);
            return null;
        });
    }

    /**
     * Records the trial's objective at {@code step} (an epoch, say). Reporting a step again
     * replaces its value: a trial resumed from a checkpoint re-reports the step it restarts at.
     */
    public void reportIntermediate(TrialId trial, int step, double value) {
        if (Double.isNaN(value)) throw new IllegalArgumentException("intermediate value of " + trial + " at step " + step + " is NaN");
        write("reporting step " + step + " of " + trial, c -> {
            long rowId = runningTrialRow(c, trial);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO trial_intermediate (trial_id, step, value) VALUES (?, ?, ?) "
                            + "ON CONFLICT (trial_id, step) DO UPDATE SET value = excluded.value")) {
                ps.setLong(1, rowId);
                ps.setInt(2, step);
                ps.setDouble(3, value);
                ps.executeUpdate();
            }
            touch(c, rowId);
            return null;
        });
    }

    /** Tells other workers the trial is still being worked on, for steps that report nothing for long. */
    public void heartbeat(TrialId trial) {
        write("heartbeat of " + trial, c -> {
            touch(c, runningTrialRow(c, trial));
            return null;
        });
    }

    /**
     * Refreshes the heartbeat of the study's trials numbered {@code numbers} that are still
     * RUNNING, in one statement, and returns those of them that are not (finished by another
     * worker that judged them abandoned).
     */
    public Set<Integer> heartbeat(long studyId, Collection<Integer> numbers) {
        if (numbers.isEmpty()) return Set.of();
        String list = String.join(", ", numbers.stream().map(n -> Integer.toString(n)).toList());
        return write("heartbeat of trials " + list + " of study " + studyId, c -> {
            Set<Integer> lost = new TreeSet<>(numbers);
            try (PreparedStatement ps = c.prepareStatement("UPDATE trials SET heartbeat_at = " + url.dialect().nowMillis()
                    + " WHERE study_id = ? AND state = 'RUNNING' AND number IN (" + list + ") RETURNING number")) {
                ps.setLong(1, studyId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) lost.remove(rs.getInt(1));
                }
            }
            return lost;
        });
    }

    /**
     * Finishes a RUNNING trial, once. A PRUNED trial given no value gets its last intermediate
     * value, if it reported any (Optuna's rule: a pruned trial's value is where it stopped).
     *
     * @param state COMPLETE (value required), PRUNED or FAIL (error required)
     * @param value the objective value, or null
     * @param error why it failed, or null
     * @throws IllegalStateException when the trial is already finished ({@link TrialAbandonedException}
     *     when another worker failed it for a stale heartbeat)
     */
    public void finish(TrialId trial, TrialState state, Double value, String error) {
        if (!state.finished()) throw new IllegalArgumentException("a trial is finished into COMPLETE, PRUNED or FAIL, not " + state);
        if (state == TrialState.COMPLETE && value == null) throw new IllegalArgumentException(trial + " is COMPLETE without a value");
        if (state == TrialState.FAIL && (value != null || error == null)) throw new IllegalArgumentException(trial + " is FAIL: give an error and no value");
        if (value != null && value.isNaN()) throw new IllegalArgumentException("value of " + trial + " is NaN; finish it as FAIL instead");
        write("finishing " + trial, c -> {
            long rowId = runningTrialRow(c, trial);
            Double stored = value == null && state == TrialState.PRUNED ? lastIntermediate(c, rowId) : value;
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE trials SET state = ?, value = ?, error = ?, finished_at = " + url.dialect().nowMillis() + " WHERE trial_id = ?")) {
                ps.setString(1, state.name());
                if (stored == null) ps.setNull(2, Types.DOUBLE);
                else ps.setDouble(2, stored);
                ps.setString(3, error);
                ps.setLong(4, rowId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** The error of a trial failed because its heartbeat went stale. */
    static final String INTERRUPTED = "interrupted";

    /**
     * Records as FAIL, with error "interrupted", every RUNNING trial of the study whose last
     * heartbeat is older than {@code grace}, and returns them (as now stored). Pass
     * {@link Duration#ZERO} when no other worker runs the study's trials; with several workers, a
     * grace longer than the longest silence of a live trial (two heartbeat intervals, say).
     */
    public List<FrozenTrial> failInterruptedTrials(long studyId, Duration grace) {
        List<Integer> numbers = write("failing interrupted trials of study " + studyId, c -> {
            lockStudy(c, studyId);
            return failStale(c, studyId, grace);
        });
        return trials(studyId).stream().filter(t -> numbers.contains(t.number())).toList();
    }

    /** The stale-heartbeat rule of {@link #failInterruptedTrials}, inside the caller's transaction; returns the numbers failed. */
    private List<Integer> failStale(Connection c, long studyId, Duration grace) throws SQLException {
        String now = url.dialect().nowMillis();
        List<Integer> found = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("UPDATE trials SET state = 'FAIL', error = '" + INTERRUPTED + "', finished_at = " + now
                + " WHERE study_id = ? AND state = 'RUNNING' AND heartbeat_at <= " + now + " - ? RETURNING number")) {
            ps.setLong(1, studyId);
            ps.setLong(2, grace.toMillis());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) found.add(rs.getInt(1));
            }
        }
        return found;
    }

    /**
     * Every trial of the study, by number, read as one consistent snapshot; parameter values as
     * stored ({@link Double}, {@link Long} or {@link String}).
     */
    public List<FrozenTrial> trials(long studyId) {
        return read("reading trials of study " + studyId, c -> TrialReader.readAll(c, studyId));
    }

    /** Closes the connection; further calls fail. */
    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw translate(e, "closing");
        }
    }

    private void closeQuietly() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the open failed already; that failure is the one to report
        }
    }

    /** The row id of a RUNNING trial, locked for the transaction, or an exception saying why it cannot be written. */
    private long runningTrialRow(Connection c, TrialId trial) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT trial_id, state, error FROM trials WHERE study_id = ? AND number = ?" + url.dialect().forUpdate())) {
            ps.setLong(1, trial.studyId());
            ps.setInt(2, trial.number());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new IllegalArgumentException("no " + trial + " in " + location);
                String state = rs.getString(2);
                if (state.equals(TrialState.FAIL.name()) && INTERRUPTED.equals(rs.getString(3))) {
                    throw new TrialAbandonedException(trial + " was failed by another worker, which found its heartbeat stale; its result is dropped");
                }
                if (!state.equals(TrialState.RUNNING.name())) {
                    throw new IllegalStateException(trial + " is already " + state + "; finished trials are not modified");
                }
                return rs.getLong(1);
            }
        }
    }

    /** The value at the trial's highest reported step, or null when it reported none. */
    private static Double lastIntermediate(Connection c, long rowId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT value FROM trial_intermediate WHERE trial_id = ? ORDER BY step DESC LIMIT 1")) {
            ps.setLong(1, rowId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getDouble(1) : null;
            }
        }
    }

    private void touch(Connection c, long rowId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE trials SET heartbeat_at = " + url.dialect().nowMillis() + " WHERE trial_id = ?")) {
            ps.setLong(1, rowId);
            ps.executeUpdate();
        }
    }

    /** Work done inside one transaction on the storage's connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T write(String doing, Work<T> work) {
        return transaction(false, doing, work);
    }

    private <T> T read(String doing, Work<T> work) {
        return transaction(true, doing, work);
    }

    /**
     * Runs work in one transaction, rolling back on any failure; in PostgreSQL, a transaction the
     * server aborted to break a deadlock or a serialization conflict is run again (up to three
     * times in all), as the server asks. SQLite transactions are issued as statements on an
     * auto-commit connection: with auto-commit off the driver would open the next transaction
     * right after each commit, and an IMMEDIATE one would then hold the write lock while idle,
     * blocking every other process. Reads see one snapshot: SQLite's deferred transaction, or
     * PostgreSQL's repeatable read.
     */
    private synchronized <T> T transaction(boolean readOnly, String doing, Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            boolean sqlite = url.dialect() == Dialect.SQLITE;
            try (Statement st = connection.createStatement()) {
                if (sqlite) st.execute(readOnly ? "BEGIN DEFERRED" : "BEGIN IMMEDIATE");
                else if (readOnly) st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            } catch (SQLException e) {
                rollbackQuietly();
                throw translate(e, doing);
            }
            boolean committed = false;
            try {
                T result = work.run(connection);
                if (sqlite) {
                    try (Statement st = connection.createStatement()) {
                        st.execute("COMMIT");
                    }
                } else {
                    connection.commit();
                }
                committed = true;
                return result;
            } catch (SQLException e) {
                if (!sqlite && attempt < ATTEMPTS && RETRYABLE.contains(e.getSQLState())) continue;
                throw translate(e, doing);
            } finally {
                if (!committed) rollbackQuietly();
            }
        }
    }

    private void rollbackQuietly() {
        try {
            if (url.dialect() == Dialect.SQLITE) {
                try (Statement st = connection.createStatement()) {
                    st.execute("ROLLBACK");
                }
            } else {
                connection.rollback();
            }
        } catch (SQLException ignored) {
            // nothing to undo (the failure ended the transaction already), or the connection is gone
        }
    }

    private StudyStorageException translate(SQLException e, String doing) {
        StudyStorageException translated = translateUnscrubbed(e, doing);
        String message = url.scrub(translated.getMessage());
        return message.equals(translated.getMessage()) ? translated : new StudyStorageException(message, e);
    }

    private StudyStorageException translateUnscrubbed(SQLException e, String doing) {
        if (url.dialect() == Dialect.SQLITE) {
            int code = e.getErrorCode() & 0xFF; // sqlite-jdbc reports the primary SQLite result code
            if (code == SQLITE_BUSY || code == SQLITE_LOCKED) return locked(e, doing);
            if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT) {
                return new StudyStorageException(location + " is not a Descent study database (not an SQLite file, or corrupt): "
                        + e.getMessage(), e);
            }
        } else {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            if (state.equals("55P03")) return locked(e, doing);
            if (state.startsWith("08")) return new StudyStorageException("lost the connection to study database " + location + " while " + doing
                    + ": " + firstLine(e.getMessage()), e);
        }
        return new StudyStorageException("study database " + location + ": " + doing + " failed: " + firstLine(e.getMessage()), e);
    }

    private StudyStorageException locked(SQLException e, String doing) {
        return new StudyStorageException("study database " + location + " is locked by another process (still locked after "
                + busyTimeout.toMillis() + " ms) while " + doing, e);
    }
}
