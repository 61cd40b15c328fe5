package dev.descent.study;

import static dev.descent.search.Dimension.categorical;
import static dev.descent.search.Dimension.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.search.Direction;
import dev.descent.search.FrozenTrial;
import dev.descent.search.Parameter;
import dev.descent.search.SearchSpace;
import dev.descent.search.TrialState;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database written by schema version 1 (the tables exactly as that version created them, filled
 * as it filled them) opens, is upgraded to version 2 in place, and keeps every trial.
 */
class SchemaUpgradeTest {
    @TempDir Path dir;

    /** Version 1's tables, copied from the Schema of that version. */
    private static final List<String> VERSION_1 = List.of(
            "CREATE TABLE descent_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            """
            CREATE TABLE studies (
              study_id   INTEGER PRIMARY KEY AUTOINCREMENT,
              name       TEXT NOT NULL UNIQUE,
              direction  TEXT NOT NULL CHECK (direction IN ('MINIMIZE', 'MAXIMIZE')),
              created_at INTEGER NOT NULL)""",
            """
            CREATE TABLE trials (
              trial_id     INTEGER PRIMARY KEY AUTOINCREMENT,
              study_id     INTEGER NOT NULL REFERENCES studies (study_id) ON DELETE CASCADE,
              number       INTEGER NOT NULL CHECK (number >= 0),
              state        TEXT NOT NULL CHECK (state IN ('RUNNING', 'COMPLETE', 'PRUNED', 'FAIL')),
              value        REAL,
              error        TEXT,
              started_at   INTEGER NOT NULL,
              heartbeat_at INTEGER NOT NULL,
              finished_at  INTEGER,
              UNIQUE (study_id, number))""",
            """
            CREATE TABLE trial_params (
              trial_id   INTEGER NOT NULL REFERENCES trials (trial_id) ON DELETE CASCADE,
              name       TEXT NOT NULL,
              kind       TEXT NOT NULL CHECK (kind IN ('DOUBLE', 'LONG', 'STRING')),
              real_value REAL,
              int_value  INTEGER,
              text_value TEXT,
              PRIMARY KEY (trial_id, name))""",
            """
            CREATE TABLE trial_intermediate (
              trial_id INTEGER NOT NULL REFERENCES trials (trial_id) ON DELETE CASCADE,
              step     INTEGER NOT NULL,
              value    REAL NOT NULL,
              PRIMARY KEY (trial_id, step))""",
            "CREATE INDEX trials_by_state ON trials (study_id, state)",
            "INSERT INTO descent_meta VALUES ('schema_version', '1')");

    /**
     * Study "old": 0 COMPLETE 0.25; 1 PRUNED with its value (as Study.tellPruned wrote it);
     * 2 PRUNED without a value but with reports at steps 0 and 3 (as a direct
     * JdbcStudyStorage.finish(PRUNED, null) wrote it); 3 PRUNED with no report; 4 FAIL;
     * 5 RUNNING (left by a killed process).
     */
    private static final List<String> TRIALS = List.of(
            "INSERT INTO studies VALUES (1, 'old', 'MINIMIZE', 1000)",
            "INSERT INTO trials VALUES (1, 1, 0, 'COMPLETE', 0.25, NULL, 1000, 1000, 1001)",
            "INSERT INTO trials VALUES (2, 1, 1, 'PRUNED', 0.5, NULL, 1000, 1000, 1001)",
            "INSERT INTO trials VALUES (3, 1, 2, 'PRUNED', NULL, NULL, 1000, 1000, 1001)",
            "INSERT INTO trials VALUES (4, 1, 3, 'PRUNED', NULL, NULL, 1000, 1000, 1001)",
            "INSERT INTO trials VALUES (5, 1, 4, 'FAIL', NULL, 'diverged', 1000, 1000, 1001)",
            "INSERT INTO trials VALUES (6, 1, 5, 'RUNNING', NULL, NULL, 1000, 1000, NULL)",
            "INSERT INTO trial_params VALUES (1, 'x', 'DOUBLE', 0.5, NULL, NULL)",
            "INSERT INTO trial_params VALUES (1, 'c', 'STRING', NULL, NULL, 'a')",
            "INSERT INTO trial_intermediate VALUES (1, 0, 0.3)",
            "INSERT INTO trial_intermediate VALUES (2, 0, 0.5)",
            "INSERT INTO trial_intermediate VALUES (3, 0, 0.9)",
            "INSERT INTO trial_intermediate VALUES (3, 3, 0.7)");

    private String versionOneFile() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("v1.db");
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            for (String sql : VERSION_1) st.execute(sql);
            for (String sql : TRIALS) st.execute(sql);
        }
        return url;
    }

    private static String schemaVersion(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT value FROM descent_meta WHERE key = 'schema_version'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void aVersionOneFileIsUpgradedAndKeepsEveryTrial() throws Exception {
        String url = versionOneFile();
        try (JdbcStudyStorage db = JdbcStudyStorage.open(url)) {
            assertEquals(String.valueOf(Schema.VERSION), schemaVersion(url));
            long study = db.createStudy("old", Direction.MINIMIZE);
            List<FrozenTrial> trials = db.trials(study);
            assertEquals(List.of(TrialState.COMPLETE, TrialState.PRUNED, TrialState.PRUNED, TrialState.PRUNED, TrialState.FAIL,
                    TrialState.RUNNING), trials.stream().map(FrozenTrial::state).toList());
            assertEquals(Map.of("x", 0.5, "c", "a"), trials.get(0).params().values());
            assertEquals(0.25, trials.get(0).value());
            assertEquals(0.5, trials.get(1).value(), "a stored value is kept");
            assertEquals(0.7, trials.get(2).value(), "a pruned trial without a value gets its last report (step 3), not its first");
            assertNull(trials.get(3).value(), "nothing reported, nothing to take");
            assertEquals("diverged", trials.get(4).error());
            assertEquals(Map.of(0, 0.9, 3, 0.7), trials.get(2).intermediate());
            assertEquals(6, db.createTrial(study).number(), "numbering continues after the old trials");
        }
        try (JdbcStudyStorage db = JdbcStudyStorage.open(url)) {
            assertEquals(7, db.trials(db.createStudy("old", Direction.MINIMIZE)).size(), "a second open upgrades nothing twice");
        }
    }

    /** An old study has no stored space: it adopts the one it is opened with, and is held to it from then on. */
    @Test
    void anOldStudyAdoptsTheSpaceItIsOpenedWith() throws Exception {
        String url = versionOneFile();
        SearchSpace space = SearchSpace.of(Parameter.of("x", uniform(0, 1)), Parameter.of("c", categorical("a", "b")));
        try (JdbcStudyStorage db = JdbcStudyStorage.open(url)) {
            List<FrozenTrial> trials = JdbcStudy.open(db, "old", Direction.MINIMIZE, space).trials();
            assertEquals(6, trials.size());
            assertEquals(TrialState.FAIL, trials.get(5).state(), "the trial a killed process left running");
            assertEquals(0.7, trials.get(2).value());
        }
        try (JdbcStudyStorage db = JdbcStudyStorage.open(url)) {
            SearchSpace wider = SearchSpace.of(Parameter.of("x", uniform(0, 2)), Parameter.of("c", categorical("a", "b")));
            StudyMismatchException e = assertThrows(StudyMismatchException.class, () -> JdbcStudy.open(db, "old", Direction.MINIMIZE, wider));
            assertTrue(e.getMessage().contains("x: uniform [0, 1]") && e.getMessage().contains("x: uniform [0, 2]"), e.getMessage());
        }
    }

    /**
     * A version-2 file (the version-1 file with version 2's column, as version 2 left it) is
     * upgraded to the metric column; its study adopts the metric it is next opened with and is
     * held to it from then on.
     */
    @Test
    void aVersionTwoFileGetsTheMetricColumnAndItsStudyAdoptsAMetric() throws Exception {
        String url = versionOneFile();
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.executeUpdate("ALTER TABLE studies ADD COLUMN search_space TEXT");
            st.executeUpdate("UPDATE descent_meta SET value = '2' WHERE key = 'schema_version'");
        }
        SearchSpace space = SearchSpace.of(Parameter.of("x", uniform(0, 1)), Parameter.of("c", categorical("a", "b")));
        try (JdbcStudyStorage db = JdbcStudyStorage.open(url)) {
            assertEquals(String.valueOf(Schema.VERSION), schemaVersion(url));
            assertEquals(6, JdbcStudy.open(db, "old", Direction.MINIMIZE, space, "val_loss").trials().size());
        }
        try (JdbcStudyStorage db = JdbcStudyStorage.open(url)) {
            StudyMismatchException e = assertThrows(StudyMismatchException.class,
                    () -> JdbcStudy.open(db, "old", Direction.MINIMIZE, space, "val_mse"));
            assertTrue(e.getMessage().contains("metric val_loss") && e.getMessage().contains("metric val_mse"), e.getMessage());
            assertEquals(6, JdbcStudy.open(db, "old", Direction.MINIMIZE, space, "val_loss").trials().size());
            assertEquals(6, JdbcStudy.open(db, "old", Direction.MINIMIZE, space).trials().size(), "no metric given: none checked");
        }
    }
}
