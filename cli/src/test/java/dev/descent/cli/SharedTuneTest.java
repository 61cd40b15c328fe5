package dev.descent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.descent.search.Direction;
import dev.descent.search.FrozenTrial;
import dev.descent.search.TrialState;
import dev.descent.study.JdbcStudyStorage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code descent tune} processes sharing one study, and storages that are refused: an unreachable
 * server, a wrong password, a URL of an unknown kind, a database of a newer schema version. A
 * refused storage is one line on stderr, exit 2, and nothing written (no study directory, the
 * database as it was).
 */
class SharedTuneTest {
    @TempDir Path dir;

    private static final String CONFIG = """
            seed: 5
            data: {train: builtin:digits.csv, target: digit, validation_split: 0.2, scale: {divide: 16}}
            model: [linear: 10]
            loss: cross_entropy
            optimizer: {name: sgd, lr: 0.1}
            train: {epochs: 1, batch_size: 64}
            metrics: [accuracy]
            search:
              metric: val_accuracy
              sampler: random
              trials: 4
              parallel: 2
              params:
                optimizer.lr: {log_uniform: [1.0e-3, 3.0e-1]}
            """;

    /**
     * The same command started twice, 0.5 s apart: both exit 0, and the study ends with exactly its
     * 4 trials, all COMPLETE, numbered 0..3: neither process fails the other's running trials,
     * and together they stop at the total.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void twoProcessesStartedHalfASecondApartRunOneStudy() throws Exception {
        Path cfg = Cli.write(dir, "t.yaml", CONFIG);
        Path out = dir.resolve("out");
        Process first = descent("tune", cfg.toString(), "--out", out.toString());
        Thread.sleep(500);
        Process second = descent("tune", cfg.toString(), "--out", out.toString());
        CompletableFuture<String> firstErr = CompletableFuture.supplyAsync(() -> read(first)), secondErr = CompletableFuture.supplyAsync(() -> read(second));
        assertTrue(first.waitFor(100, TimeUnit.SECONDS) && second.waitFor(100, TimeUnit.SECONDS));
        assertEquals(0, first.exitValue(), firstErr.get());
        assertEquals(0, second.exitValue(), secondErr.get());
        try (JdbcStudyStorage db = JdbcStudyStorage.open("jdbc:sqlite:" + out.resolve("study.db"))) {
            List<FrozenTrial> trials = db.trials(db.createStudy("t", Direction.MAXIMIZE));
            assertEquals(IntStream.range(0, 4).boxed().toList(), trials.stream().map(FrozenTrial::number).toList());
            assertEquals(4, trials.stream().filter(t -> t.state() == TrialState.COMPLETE).count(), trials.toString());
        }
    }

    @Test
    void anUnreachableServerIsOneLineAndWritesNothing() throws IOException {
        refused("postgresql://descent@127.0.0.1:1/descent", "--storage: cannot reach study database postgresql://descent@127.0.0.1:1/descent: ");
    }

    @Test
    void aUrlOfAnUnknownKindIsOneLineAndWritesNothing() throws IOException {
        refused("mysql://ada:secret@db.example/studies", "--storage: unknown kind of study storage 'mysql://ada:***@db.example/studies'; give a file,"
                + " a jdbc:sqlite: URL, or a jdbc:postgresql:// or postgresql://user@host/database URL");
    }

    @Test
    void aWrongPasswordIsOneLineAndWritesNothing() throws IOException {
        String url = postgres().replaceFirst("password=[^&]*", "password=wrong");
        refused(url, "--storage: cannot log in to study database " + url.replace("password=wrong", "password=***") + ": ");
    }

    /** A newer schema is refused before anything is written: the SQLite file keeps its bytes, PostgreSQL gets no study. */
    @Test
    void aDatabaseOfANewerSchemaVersionIsOneLineAndLeftAsItWas() throws Exception {
        Path file = dir.resolve("future.db");
        JdbcStudyStorage.open("jdbc:sqlite:" + file).close();
        setVersion("jdbc:sqlite:" + file, 99);
        byte[] before = Files.readAllBytes(file);
        refused(file.toString(), "--storage: " + file + " is a Descent study database of schema version 99, but this Descent reads versions 1 to ");
        assertArrayEquals(before, Files.readAllBytes(file));

        String server = postgres();
        String schema = "future_" + ProcessHandle.current().pid();
        try (Connection c = DriverManager.getConnection(server); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            st.execute("CREATE SCHEMA " + schema);
        }
        String url = server + "&currentSchema=" + schema;
        JdbcStudyStorage.open(url).close();
        setVersion(url, 99);
        refused(url, "--storage: " + url.replaceFirst("password=[^&]*", "password=***") + " is a Descent study database of schema version 99");
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM studies")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "no study created");
        }
    }

    /** The heartbeat and retry keys are checked before anything runs: one line naming the key, exit 2, nothing written. */
    @Test
    void aGraceNotLongerThanTheIntervalOrANegativeRetryCountIsOneLine() throws IOException {
        assertBadKey("  heartbeat_interval: 10s\n  heartbeat_grace: 5s\n",
                "search.heartbeat_grace: must be longer than heartbeat_interval (10.0s), got 5.0s");
        assertBadKey("  retry_failed: -1\n", "search.retry_failed: must be at least 0, got -1");
        assertBadKey("  heartbeat_interval: often\n", "search.heartbeat_interval: expected a duration such as 90s, 10m or 2h, got 'often'");
    }

    private void assertBadKey(String keys, String error) throws IOException {
        Path cfg = Cli.write(dir, "t.yaml", CONFIG.replace("  trials: 4\n", "  trials: 4\n" + keys));
        Path out = dir.resolve("never");
        Cli.Result r = Cli.run("tune", cfg.toString(), "--out", out.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals("descent tune: error: " + error, r.errorLines());
        assertFalse(Files.exists(out), "nothing written");
    }

    private void refused(String storage, String expectedStart) throws IOException {
        Path cfg = Cli.write(dir, "t.yaml", CONFIG);
        Path out = dir.resolve("never");
        Cli.Result r = Cli.run("tune", cfg.toString(), "--out", out.toString(), "--storage", storage);
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.errorLines().lines().count(), r.err());
        assertTrue(r.errorLines().startsWith("descent tune: error: " + expectedStart), r.errorLines());
        assertFalse(r.errorLines().contains("secret") || r.errorLines().contains("wrong"), "no password in messages: " + r.errorLines());
        assertFalse(Files.exists(out), "nothing written");
    }

    private static void setVersion(String url, int version) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("UPDATE descent_meta SET value = '" + version + "' WHERE key = 'schema_version'");
        }
    }

    /** The test server's URL that .ci/run exports; without it a failure under CI=true, a skip elsewhere (as in the study module's tests). */
    private static String postgres() {
        String url = System.getenv("DESCENT_TEST_POSTGRES_URL");
        if (url == null || url.isBlank()) {
            String why = "DESCENT_TEST_POSTGRES_URL is not set: no PostgreSQL server for this test (bash .ci/run starts one)";
            if ("true".equals(System.getenv("CI"))) fail(why);
            Assumptions.abort(why);
        }
        return url;
    }

    private static Process descent(String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // C1 only and the serial collector: these short runs start faster, and the machine running CI is shared
        List<String> command = new java.util.ArrayList<>(List.of(java, "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static String read(Process p) {
        try {
            return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
