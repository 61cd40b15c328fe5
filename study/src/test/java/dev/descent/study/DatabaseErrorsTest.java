package dev.descent.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.search.Direction;
import dev.descent.search.FrozenTrial;
import dev.descent.search.TrialState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseErrorsTest {
    private static final Duration SHORT = Duration.ofMillis(200);

    @TempDir
    Path dir;

    @Test
    void aLockedDatabaseNamesTheFileAndKeepsTheTrialForARetry() throws Exception {
        Path file = dir.resolve("locked.db");
        String url = "jdbc:sqlite:" + file;
        try (JdbcStudyStorage s = JdbcStudyStorage.open(url, SHORT)) {
            long study = s.createStudy("s", Direction.MINIMIZE);
            TrialId t = s.createTrial(study);
            s.setParams(t, Map.of("x", 1.5));
            s.reportIntermediate(t, 0, 9.0);
            try (Connection other = DriverManager.getConnection(url); Statement st = other.createStatement()) {
                st.execute("BEGIN EXCLUSIVE"); // another writer holds the lock past our busy timeout
                long began = System.nanoTime();
                StudyStorageException e = assertThrows(StudyStorageException.class, () -> s.finish(t, TrialState.COMPLETE, 2.0, null));
                assertTrue(System.nanoTime() - began >= SHORT.toNanos() * 9 / 10, "must wait for the busy timeout before failing");
                assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
                assertTrue(e.getMessage().contains("locked by another process"), e.getMessage());
                assertThrows(StudyStorageException.class, () -> s.createTrial(study));
                StudyStorageException atOpen = assertThrows(StudyStorageException.class, () -> JdbcStudyStorage.open(url, SHORT));
                assertTrue(atOpen.getMessage().contains("locked by another process"), atOpen.getMessage());
                st.execute("ROLLBACK");
            }
            FrozenTrial still = s.trials(study).getFirst();
            assertEquals(TrialState.RUNNING, still.state());
            assertEquals(Map.of("x", 1.5), still.params().values());
            assertEquals(Map.of(0, 9.0), still.intermediate());
            s.finish(t, TrialState.COMPLETE, 2.0, null); // the retry succeeds
            assertEquals(2.0, s.trials(study).getFirst().value());
            assertEquals(1, s.createTrial(study).number(), "the failed createTrial must not have used a number");
        }
    }

    @Test
    void aFileOfRandomBytesIsNotAStudyDatabase() throws Exception {
        Path file = dir.resolve("noise.db");
        byte[] noise = new byte[8192];
        new Random(42).nextBytes(noise);
        Files.write(file, noise);
        StudyStorageException e = assertThrows(StudyStorageException.class, () -> JdbcStudyStorage.open("jdbc:sqlite:" + file, SHORT));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not a Descent study database"), e.getMessage());
        assertArrayEquals(noise, Files.readAllBytes(file), "the file must be left as it was");
    }

    @Test
    void anSqliteFileWithOtherTablesIsNotAStudyDatabaseAndIsLeftAlone() throws Exception {
        Path file = dir.resolve("app.db");
        String url = "jdbc:sqlite:" + file;
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)");
            st.execute("INSERT INTO users (name) VALUES ('ada')");
        }
        byte[] before = Files.readAllBytes(file);
        StudyStorageException e = assertThrows(StudyStorageException.class, () -> JdbcStudyStorage.open(url, SHORT));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not a Descent study database"), e.getMessage());
        assertTrue(e.getMessage().contains("users"), "should say what it found: " + e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file), "no tables added, no switch to WAL");
    }

    @Test
    void aNewerSchemaVersionIsRefusedRatherThanMisread() throws Exception {
        Path file = dir.resolve("future.db");
        String url = "jdbc:sqlite:" + file;
        JdbcStudyStorage.open(url).close();
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("UPDATE descent_meta SET value = '99' WHERE key = 'schema_version'");
        }
        StudyStorageException e = assertThrows(StudyStorageException.class, () -> JdbcStudyStorage.open(url, SHORT));
        assertTrue(e.getMessage().contains("version 99") && e.getMessage().contains(file.toString()), e.getMessage());
    }

    /** Driver messages can quote the URL they were given ("No suitable driver found for jdbc:...&password=..."): never its password. */
    @Test
    void passwordsAreKeptOutOfMessages() {
        StorageUrl jdbc = StorageUrl.parse("jdbc:postgresql://db.example:5433/studies?user=ada&password=s3cret&ssl=true");
        assertEquals("jdbc:postgresql://db.example:5433/studies?user=ada&password=***&ssl=true", jdbc.location());
        assertEquals("No suitable driver found for " + jdbc.location(), jdbc.scrub("No suitable driver found for " + jdbc.jdbc()));
        StorageUrl libpq = StorageUrl.parse("postgresql://ada:s3cret@db.example:5433/studies");
        assertEquals("jdbc:postgresql://db.example:5433/studies?user=ada&password=s3cret", libpq.jdbc());
        assertEquals("postgresql://ada:***@db.example:5433/studies", libpq.location());
        assertEquals("password authentication failed (***)", libpq.scrub("password authentication failed (s3cret)"));
    }

    @Test
    void aUrlOfAnUnknownKindIsRefusedInOneLine() {
        StudyStorageException e = assertThrows(StudyStorageException.class, () -> JdbcStudyStorage.open("mysql://ada:secret@host/db"));
        assertEquals("unknown kind of study storage 'mysql://ada:***@host/db'; give a file, a jdbc:sqlite: URL, or a jdbc:postgresql:// or"
                + " postgresql://user@host/database URL", e.getMessage(), "one line, without the password");
    }
}
