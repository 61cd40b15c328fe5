package dev.descent.study;

import static dev.descent.search.Dimension.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.search.Direction;
import dev.descent.search.FrozenTrial;
import dev.descent.search.Parameter;
import dev.descent.search.SearchSpace;
import dev.descent.search.TrialState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two worker processes of 4 threads each run one study together, on an SQLite file and on
 * PostgreSQL, and one of them is killed (SIGKILL: no shutdown hook, no finally) mid-study. Each
 * trial sleeps 2 s, longer than the 1.2 s grace: only heartbeats (every 0.3 s) keep a live trial
 * from being failed. The grace is 4 intervals rather than the default 2, as CI machines are
 * loaded enough to delay a heartbeat thread by more than one interval. The survivor finishes the study: every trial appears once, the
 * numbers are consecutive, none is left RUNNING, the trials the survivor ran are all COMPLETE, the
 * killed worker's unfinished trials are FAIL "interrupted", each failed only after its heartbeat
 * was older than the grace (times from the database's clock), and the budget counts exactly
 * {@link #TRIALS} trials (with retry_failed 1, the failed ones re-run with their parameters, or
 * replaced by a new trial when the victim died before storing them). The victim's trials are often
 * the highest numbered when it dies, above every later ask's history window: the survivor re-runs
 * them all the same (it once stopped with one left: a CI failure of this test).
 */
class SharedStudyTest {
    static final SearchSpace SPACE = SearchSpace.of(Parameter.of("x", uniform(0, 1)));
    private static final long BEAT_MS = 300, GRACE_MS = 4 * BEAT_MS, TRIAL_MS = 2000;
    private static final int TRIALS = 16, KILL_AFTER_STARTS = 6;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void twoProcessesShareAnSqliteStudyAndOneIsKilled() throws Exception {
        runShared("jdbc:sqlite:" + dir.resolve("shared.db"), 0);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void twoProcessesShareAPostgresStudyAndOneIsKilledAndItsTrialsReRun() throws Exception {
        runShared(TestPostgres.freshSchema(), 1);
    }

    private void runShared(String url, int retries) throws Exception {
        JdbcStudyStorage.open(url).close();   // the schema exists before the workers race to the study
        Process victim = worker(url, retries);
        Process survivor = worker(url, retries);
        CompletableFuture<List<String>> survivorSaid = CompletableFuture.supplyAsync(() -> lines(survivor));
        int starts = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(victim.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; starts < KILL_AFTER_STARTS && (line = out.readLine()) != null; ) {
                if (line.startsWith("started ")) starts++;
            }
            victim.destroyForcibly();   // SIGKILL, mid-study: at least its last started trial is running
        }
        assertEquals(KILL_AFTER_STARTS, starts, "the victim ran trials before it was killed");
        assertTrue(victim.waitFor(10, TimeUnit.SECONDS));
        assertTrue(survivor.waitFor(60, TimeUnit.SECONDS), "the survivor finishes the study");
        assertEquals(0, survivor.exitValue());
        List<String> said = survivorSaid.get();
        assertEquals("done", said.getLast());
        Set<Integer> survivorRan = new TreeSet<>();
        for (String line : said) if (line.startsWith("started ")) survivorRan.add(Integer.parseInt(line.substring(8)));

        List<FrozenTrial> trials;
        try (JdbcStudyStorage db = JdbcStudyStorage.open(url)) {
            trials = db.trials(db.createStudy("shared", Direction.MINIMIZE));
        }
        assertEquals(IntStream.range(0, trials.size()).boxed().toList(), trials.stream().map(FrozenTrial::number).toList(),
                "each trial once, numbers consecutive");
        Set<Integer> failed = new TreeSet<>();
        for (FrozenTrial t : trials) {
            assertTrue(t.state() == TrialState.COMPLETE || t.state() == TrialState.FAIL, "none stuck: " + t);
            if (t.state() == TrialState.COMPLETE) assertEquals(t.number(), t.value());
            else {
                failed.add(t.number());
                assertEquals("interrupted", t.error());
                assertFalse(survivorRan.contains(t.number()), "a live worker's trial (2 s, beyond the grace) was failed: " + t);
            }
        }
        assertFalse(failed.isEmpty(), "the killed worker left trials running");
        assertEquals(TRIALS, trials.size() - (retries > 0 ? failed.size() : 0), "the budget counts " + TRIALS + " trials");
        long complete = trials.stream().filter(t -> t.state() == TrialState.COMPLETE).count();
        assertEquals(retries > 0 ? TRIALS : TRIALS - failed.size(), complete);
        if (retries > 0) {
            for (int f : failed) {
                Object x = trials.get(f).params().get("x");
                if (x == null) continue; // killed between creating it and storing its sample: a new trial took its place
                assertEquals(1, trials.stream().filter(t -> t.state() == TrialState.COMPLETE && t.params().get("x").equals(x)).count(),
                        "trial " + f + " re-run once with its parameters");
            }
        }
        try (Connection c = DriverManager.getConnection(url.startsWith("jdbc:") ? url : StorageUrl.parse(url).jdbc());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT number, finished_at - heartbeat_at FROM trials WHERE state = 'FAIL'")) {
            while (rs.next()) {
                assertTrue(rs.getLong(2) >= GRACE_MS, "trial " + rs.getInt(1) + " failed " + rs.getLong(2) + " ms after its last heartbeat, before the grace");
            }
        }
    }

    private static List<String> lines(Process p) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            return out.lines().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Process worker(String url, int retries) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                SharedStudyWorker.class.getName(), url, String.valueOf(BEAT_MS), String.valueOf(GRACE_MS), String.valueOf(TRIALS), String.valueOf(retries), String.valueOf(TRIAL_MS))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }
}
