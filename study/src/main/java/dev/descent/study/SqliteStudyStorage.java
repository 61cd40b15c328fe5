package dev.descent.study;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Study storage in an SQLite database file, shared safely by threads and processes.
 *
 * <p><b>Concurrency.</b> The database runs in WAL mode (readers never block the writer) with a
 * busy timeout: a writer that finds the file locked waits up to that long, then fails with a
 * {@link StudyStorageException} saying the file is locked by another process. Every write is one
 * {@code BEGIN IMMEDIATE} transaction, which takes the write lock up front, so a read-then-write
 * such as "next trial number = max + 1, insert it" is atomic across processes and never fails
 * halfway on a lock upgrade. One instance holds one connection and serializes its callers, so it
 * can be shared by threads; separate instances (or processes) on one file coordinate through
 * SQLite's file locks.
 *
 * <p><b>Failures lose nothing.</b> A write either commits whole or rolls back whole, so a trial
 * whose {@link #finish} failed (say on a lock) is still RUNNING with all its parameters and
 * intermediate values, and finishing it can be retried. Finished trials are immutable: writing to
 * one throws {@link IllegalStateException}.
 *
 * <p><b>Interrupted trials.</b> A process killed mid-trial leaves that trial RUNNING. On resume,
 * {@link #failInterruptedTrials} records such trials as FAIL with error "interrupted" (keeping
 * their number, parameters and intermediate values as evidence) and returns them; the caller
 * re-runs each one as a <em>new</em> trial with the next number and the same parameters. Finished
 * trials are never repeated, and numbers are never reused. Whether a RUNNING trial is abandoned
 * or still being worked on by a live process is decided by its heartbeat: every parameter and
 * intermediate report (and {@link #heartbeat}) refreshes it, and only trials silent for longer than
 * the grace period given are failed; a single-process resume can pass {@link Duration#ZERO}.
 *
 * <p>Only {@code jdbc:sqlite:} URLs are supported now; the URL (rather than a path) is taken so
 * that a server database can be added later without changing callers. Values are stored with
 * millisecond timestamps; NaN cannot be stored in SQLite and is refused.
 */
public final class SqliteStudyStorage implements AutoCloseable {
    /** How long a write waits for another process's lock before giving up. */
    public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(10);

    private static final String URL_PREFIX = "jdbc:sqlite:";
    private static final int SQLITE_CORRUPT = 11, SQLITE_NOTADB = 26, SQLITE_BUSY = 5, SQLITE_LOCKED = 6;

    private final Connection connection;
    private final String location;
    private final Duration busyTimeout;

    private SqliteStudyStorage(Connection connection, String location, Duration busyTimeout) {
        this.connection = connection;
        this.location = location;
        this.busyTimeout = busyTimeout;
    }

    /** Opens (creating if absent) the study database at {@code jdbcUrl}, e.g. {@code jdbc:sqlite:/runs/study.db}. */
    public static SqliteStudyStorage open(String jdbcUrl) {
        return open(jdbcUrl, DEFAULT_BUSY_TIMEOUT);
    }

    /**
     * Opens (creating if absent) the study database at {@code jdbcUrl}, waiting up to
     * {@code busyTimeout} whenever another connection holds the write lock.
     *
     * @throws StudyStorageException when the file is locked past the timeout, is not a Descent
     *     study database (not SQLite, corrupt, or SQLite with other tables), or cannot be opened
     */
    public static SqliteStudyStorage open(String jdbcUrl, Duration busyTimeout) {
        if (!jdbcUrl.startsWith(URL_PREFIX)) {
            throw new IllegalArgumentException("only " + URL_PREFIX + " URLs are supported, got " + jdbcUrl);
        }
        if (busyTimeout.isNegative()) throw new IllegalArgumentException("busy timeout must not be negative, got " + busyTimeout);
        String location = location(jdbcUrl);
        Connection c;
        try {
            c = DriverManager.getConnection(jdbcUrl);
        } catch (SQLException e) {
            throw new StudyStorageException("cannot open study database " + location + ": " + e.getMessage(), e);
        }
        SqliteStudyStorage storage = new SqliteStudyStorage(c, location, busyTimeout);
        try {
            storage.initialize();
        } catch (RuntimeException e) {
            storage.close();
            throw e;
        }
        return storage;
    }

    private void initialize() {
        try (Statement st = connection.createStatement()) {
            st.execute("PRAGMA busy_timeout = " + busyTimeout.toMillis());
            st.execute("PRAGMA foreign_keys = ON");
        } catch (SQLException e) {
            throw translate(e, "configuring the connection");
        }
        // The schema check comes before switching to WAL so that a file which turns out not to be
        // ours is refused without having been modified.
        write("checking the schema", c -> {
            Schema.createOrCheck(c, location);
            return null;
        });
        try (Statement st = connection.createStatement()) {
            st.execute("PRAGMA journal_mode = WAL"); // persistent in the file; a no-op once set
        } catch (SQLException e) {
            throw translate(e, "switching to WAL mode");
        }
    }

    /** The database file named in the URL (or ":memory:"), for messages. */
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
            try (PreparedStatement ps = c.prepareStatement("SELECT study_id, direction FROM studies WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        if (!rs.getString(2).equals(direction.name())) {
                            throw new StudyMismatchException(name, location, "direction " + rs.getString(2).toLowerCase(Locale.ROOT),
                                    "direction " + direction.name().toLowerCase(Locale.ROOT));
                        }
                        return rs.getLong(1);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO studies (name, direction, created_at) VALUES (?, ?, ?) RETURNING study_id")) {
                ps.setString(1, name);
                ps.setString(2, direction.name());
                ps.setLong(3, System.currentTimeMillis());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /**
     * The search space study {@code studyId} was created with, stored by the first caller:
     * {@code definition} is stored when the study has none yet (a new study, or one from a
     * version-1 file), and whatever is stored is returned. Atomic, so of two processes opening a
     * new study at once, both get the same answer. The text is opaque here; {@link SqliteStudy}
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
            int number;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT (SELECT COUNT(*) FROM studies WHERE study_id = ?), COALESCE(MAX(number) + 1, 0) FROM trials WHERE study_id = ?")) {
                ps.setLong(1, studyId);
                ps.setLong(2, studyId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) == 0) throw new IllegalArgumentException("no study " + studyId + " in " + location);
                    number = rs.getInt(2);
                }
            }
            long now = System.currentTimeMillis();
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO trials (study_id, number, state, started_at, heartbeat_at) VALUES (?, ?, 'RUNNING', ?, ?)")) {
                ps.setLong(1, studyId);
                ps.setInt(2, number);
                ps.setLong(3, now);
                ps.setLong(4, now);
                ps.executeUpdate();
            }
            return new TrialId(studyId, number);
        });
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
                    "INSERT OR REPLACE INTO trial_params (trial_id, name, kind, real_value, int_value, text_value) VALUES (?, ?, ?, ?, ?, ?)")) {
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
    public void reportIntermediate(TrialId trial, long step, double value) {
        if (Double.isNaN(value)) throw new IllegalArgumentException("intermediate value of " + trial + " at step " + step + " is NaN");
        write("reporting step " + step + " of " + trial, c -> {
            long rowId = runningTrialRow(c, trial);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO trial_intermediate (trial_id, step, value) VALUES (?, ?, ?) "
                            + "ON CONFLICT (trial_id, step) DO UPDATE SET value = excluded.value")) {
                ps.setLong(1, rowId);
                ps.setLong(2, step);
                ps.setDouble(3, value);
                ps.executeUpdate();
            }
            touch(c, rowId);
            return null;
        });
    }

    /** Tells other processes the trial is still being worked on, for steps that report nothing for long. */
    public void heartbeat(TrialId trial) {
        write("heartbeat of " + trial, c -> {
            touch(c, runningTrialRow(c, trial));
            return null;
        });
    }

    /**
     * Finishes a RUNNING trial, once. A PRUNED trial given no value gets its last intermediate
     * value, if it reported any (Optuna's rule: a pruned trial's value is where it stopped).
     *
     * @param state COMPLETE (value required), PRUNED or FAIL
     * @param value the objective value, or null
     * @param error why it failed, or null
     * @throws IllegalStateException when the trial is already finished
     */
    public void finish(TrialId trial, TrialState state, Double value, String error) {
        if (!state.isFinished()) throw new IllegalArgumentException("a trial is finished into COMPLETE, PRUNED or FAIL, not " + state);
        if (state == TrialState.COMPLETE && value == null) throw new IllegalArgumentException(trial + " is COMPLETE without a value");
        if (value != null && value.isNaN()) throw new IllegalArgumentException("value of " + trial + " is NaN; finish it as FAIL instead");
        write("finishing " + trial, c -> {
            long rowId = runningTrialRow(c, trial);
            Double stored = value == null && state == TrialState.PRUNED ? lastIntermediate(c, rowId) : value;
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE trials SET state = ?, value = ?, error = ?, finished_at = ? WHERE trial_id = ?")) {
                ps.setString(1, state.name());
                if (stored == null) ps.setNull(2, Types.REAL);
                else ps.setDouble(2, stored);
                ps.setString(3, error);
                ps.setLong(4, System.currentTimeMillis());
                ps.setLong(5, rowId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Records as FAIL, with error "interrupted", every RUNNING trial of the study whose last
     * heartbeat is older than {@code grace}, and returns them (as now stored) so the caller can
     * re-run their parameters as new trials. Pass {@link Duration#ZERO} when no other process
     * works on the study; with several workers, a grace longer than the longest silence of a live
     * trial.
     */
    public List<TrialRecord> failInterruptedTrials(long studyId, Duration grace) {
        long cutoff = System.currentTimeMillis() - grace.toMillis();
        List<Integer> numbers = write("failing interrupted trials of study " + studyId, c -> {
            List<Integer> found = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE trials SET state = 'FAIL', error = 'interrupted', finished_at = ? "
                            + "WHERE study_id = ? AND state = 'RUNNING' AND heartbeat_at <= ? RETURNING number")) {
                ps.setLong(1, System.currentTimeMillis());
                ps.setLong(2, studyId);
                ps.setLong(3, cutoff);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) found.add(rs.getInt(1));
                }
            }
            return found;
        });
        return trials(studyId).stream().filter(t -> numbers.contains(t.number())).toList();
    }

    /** Every trial of the study, by number, read as one consistent snapshot. */
    public List<TrialRecord> trials(long studyId) {
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

    /** The row id of a RUNNING trial, or an exception saying why it cannot be written. */
    private long runningTrialRow(Connection c, TrialId trial) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT trial_id, state FROM trials WHERE study_id = ? AND number = ?")) {
            ps.setLong(1, trial.studyId());
            ps.setInt(2, trial.number());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new IllegalArgumentException("no " + trial + " in " + location);
                String state = rs.getString(2);
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

    private static void touch(Connection c, long rowId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE trials SET heartbeat_at = ? WHERE trial_id = ?")) {
            ps.setLong(1, System.currentTimeMillis());
            ps.setLong(2, rowId);
            ps.executeUpdate();
        }
    }

    /** Work done inside one transaction on the storage's connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T write(String doing, Work<T> work) {
        return transaction("BEGIN IMMEDIATE", doing, work);
    }

    private <T> T read(String doing, Work<T> work) {
        return transaction("BEGIN DEFERRED", doing, work);
    }

    /**
     * Runs work between begin and COMMIT, rolling back on any failure. Transactions are issued as
     * statements on an auto-commit connection: with auto-commit off the driver would open the next
     * transaction right after each commit, and an IMMEDIATE one would then hold the write lock
     * while idle, blocking every other process.
     */
    private synchronized <T> T transaction(String begin, String doing, Work<T> work) {
        try (Statement st = connection.createStatement()) {
            st.execute(begin);
        } catch (SQLException e) {
            throw translate(e, doing);
        }
        boolean committed = false;
        try {
            T result = work.run(connection);
            try (Statement st = connection.createStatement()) {
                st.execute("COMMIT");
            }
            committed = true;
            return result;
        } catch (SQLException e) {
            throw translate(e, doing);
        } finally {
            if (!committed) rollbackQuietly();
        }
    }

    private void rollbackQuietly() {
        try (Statement st = connection.createStatement()) {
            st.execute("ROLLBACK");
        } catch (SQLException ignored) {
            // nothing to undo (the failure ended the transaction already), or the connection is gone
        }
    }

    private StudyStorageException translate(SQLException e, String doing) {
        int code = e.getErrorCode() & 0xFF; // sqlite-jdbc reports the primary SQLite result code
        if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
            return new StudyStorageException("study database " + location + " is locked by another process (still locked after "
                    + busyTimeout.toMillis() + " ms) while " + doing, e);
        }
        if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT) {
            return new StudyStorageException(location + " is not a Descent study database (not an SQLite file, or corrupt): "
                    + e.getMessage(), e);
        }
        return new StudyStorageException("study database " + location + ": " + doing + " failed: " + e.getMessage(), e);
    }

    /** The file part of a jdbc:sqlite: URL: without the prefix, a "file:" scheme, or "?options". */
    static String location(String jdbcUrl) {
        String s = jdbcUrl.substring(URL_PREFIX.length());
        if (s.startsWith("file:")) s = s.substring("file:".length());
        int q = s.indexOf('?');
        return q >= 0 ? s.substring(0, q) : s;
    }
}
