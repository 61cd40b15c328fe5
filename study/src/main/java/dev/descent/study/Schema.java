package dev.descent.study;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;

/**
 * The study database's tables, created when absent, the check that an existing file is one of
 * ours, and the upgrade of files an earlier version wrote. Timestamps are epoch milliseconds.
 * Parameter values keep their type in {@code kind} and use the column of that type, so a Long
 * never comes back as a Double (SQLite's dynamic typing would otherwise decide) and the schema
 * would carry over to a server database as is.
 *
 * <p>Versions: 1 had no {@code studies.search_space}, and a PRUNED trial's value could be null
 * even when it had reported intermediate values. 2 adds the column (the search space a study was
 * created with, canonical JSON, null when unknown) and gives PRUNED trials their last intermediate
 * value, as Optuna does. 3 adds {@code studies.metric} (the name of the metric the study
 * optimizes, null when unknown), so that resuming with another metric of the same direction is
 * refused like a changed space. 4 adds {@code trials.retry_of} (the number of the failed trial a
 * trial re-runs, null otherwise; unique per study, so two workers cannot both re-run one failure)
 * and {@code trials.attempt} (how many re-runs in a row led to it, 0 for a first run). Older
 * databases are upgraded in place, one version at a time, when opened.
 *
 * <p>The schema is written once for both databases ({@link Dialect#ddl}: SQLite's {@code REAL} is
 * PostgreSQL's {@code DOUBLE PRECISION}, and so on), so a study means the same in either.
 */
final class Schema {
    /** Bumped on every change; an older file is upgraded, a file with a newer version is refused, not guessed at. */
    static final int VERSION = 4;

    static final List<String> TABLES = List.of("descent_meta", "studies", "trials", "trial_params", "trial_intermediate");

    private static final String RETRY_INDEX = "CREATE UNIQUE INDEX trials_by_retry_of ON trials (study_id, retry_of)";

    private static final List<String> DDL = List.of(
            """
            CREATE TABLE descent_meta (
              key   TEXT PRIMARY KEY,
              value TEXT NOT NULL)""",
            """
            CREATE TABLE studies (
              study_id   {ID},
              name       TEXT NOT NULL UNIQUE,
              direction  TEXT NOT NULL CHECK (direction IN ('MINIMIZE', 'MAXIMIZE')),
              created_at {LONG} NOT NULL,
              search_space TEXT,
              metric       TEXT)""",
            """
            CREATE TABLE trials (
              trial_id     {ID},
              study_id     {LONG} NOT NULL REFERENCES studies (study_id) ON DELETE CASCADE,
              number       INTEGER NOT NULL CHECK (number >= 0),
              state        TEXT NOT NULL CHECK (state IN ('RUNNING', 'COMPLETE', 'PRUNED', 'FAIL')),
              value        {DOUBLE},
              error        TEXT,
              started_at   {LONG} NOT NULL,
              heartbeat_at {LONG} NOT NULL,
              finished_at  {LONG},
              retry_of     INTEGER,
              attempt      INTEGER NOT NULL DEFAULT 0,
              UNIQUE (study_id, number))""",
            """
            CREATE TABLE trial_params (
              trial_id   {LONG} NOT NULL REFERENCES trials (trial_id) ON DELETE CASCADE,
              name       TEXT NOT NULL,
              kind       TEXT NOT NULL CHECK (kind IN ('DOUBLE', 'LONG', 'STRING')),
              real_value {DOUBLE},
              int_value  {LONG},
              text_value TEXT,
              PRIMARY KEY (trial_id, name))""",
            """
            CREATE TABLE trial_intermediate (
              trial_id {LONG} NOT NULL REFERENCES trials (trial_id) ON DELETE CASCADE,
              step     INTEGER NOT NULL,
              value    {DOUBLE} NOT NULL,
              PRIMARY KEY (trial_id, step))""",
            "CREATE INDEX trials_by_state ON trials (study_id, state)",
            RETRY_INDEX);

    private Schema() {}

    /**
     * Creates the tables in an empty database, or checks that a non-empty one is a Descent study
     * database of a version this code reads and upgrades it if it is older. Runs inside the
     * caller's write transaction, so two processes opening a new file at once cannot both create
     * (or upgrade) the tables.
     */
    static void createOrCheck(Connection c, Dialect dialect, String location) throws SQLException {
        dialect.lockSchema(c);
        Set<String> tables = dialect.tables(c);
        // A server database may hold other applications' tables; an SQLite file with other tables is someone else's file.
        boolean noneOfOurs = tables.stream().noneMatch(TABLES::contains);
        if (noneOfOurs && (tables.isEmpty() || dialect == Dialect.POSTGRESQL)) {
            try (Statement st = c.createStatement()) {
                for (String ddl : DDL) st.executeUpdate(dialect.ddl(ddl));
                st.executeUpdate("INSERT INTO descent_meta (key, value) VALUES ('schema_version', '" + VERSION + "')");
            }
            return;
        }
        if (!tables.containsAll(TABLES)) {
            throw new StudyStorageException(location + " is not a Descent study database (it has tables " + tables
                    + " but not " + TABLES + "); give a new file or an existing study database");
        }
        String version;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT value FROM descent_meta WHERE key = 'schema_version'")) {
            version = rs.next() ? rs.getString(1) : null;
        }
        int found = parseVersion(version);
        if (found < 1 || found > VERSION) {
            throw new StudyStorageException(location + " is a Descent study database of schema version " + version
                    + ", but this Descent reads versions 1 to " + VERSION + "; use the Descent that wrote it");
        }
        if (found == 1) upgradeFrom1(c);
        if (found <= 2) upgradeFrom2(c);
        if (found <= 3) upgradeFrom3(c);
    }

    private static int parseVersion(String version) {
        try {
            return version == null ? -1 : Integer.parseInt(version);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Version 1 to 2, in the caller's write transaction (so it happens once, whole or not at all):
     * the search_space column, unknown (null) for existing studies, which adopt the space of their
     * next run; and each PRUNED trial without a value gets its last intermediate value, so old and
     * new trials are ranked alike.
     */
    private static void upgradeFrom1(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("ALTER TABLE studies ADD COLUMN search_space TEXT");
            st.executeUpdate("""
                    UPDATE trials SET value = (SELECT i.value FROM trial_intermediate i
                                               WHERE i.trial_id = trials.trial_id ORDER BY i.step DESC LIMIT 1)
                    WHERE state = 'PRUNED' AND value IS NULL""");
            st.executeUpdate("UPDATE descent_meta SET value = '2' WHERE key = 'schema_version'");
        }
    }

    /**
     * Version 2 to 3, in the same transaction: the metric column, unknown (null) for existing
     * studies, which adopt the metric of their next run.
     */
    private static void upgradeFrom2(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("ALTER TABLE studies ADD COLUMN metric TEXT");
            st.executeUpdate("UPDATE descent_meta SET value = '3' WHERE key = 'schema_version'");
        }
    }

    /** Version 3 to 4, in the same transaction: no trial of an older study re-runs another. */
    private static void upgradeFrom3(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("ALTER TABLE trials ADD COLUMN retry_of INTEGER");
            st.executeUpdate("ALTER TABLE trials ADD COLUMN attempt INTEGER NOT NULL DEFAULT 0");
            st.executeUpdate(RETRY_INDEX);
            st.executeUpdate("UPDATE descent_meta SET value = '4' WHERE key = 'schema_version'");
        }
    }
}
