package dev.descent.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.search.Direction;
import dev.descent.search.FrozenTrial;
import dev.descent.search.TrialState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several writers on one file: threads with a connection each (so the trial numbering is kept
 * atomic by SQLite's locking, not by a Java lock), threads sharing one storage, and separate
 * JVM processes writing at the same time.
 */
class ConcurrentWritersTest {
    private static final int THREADS = 4, TRIALS_EACH = 25, STEPS = 3;

    @TempDir
    Path dir;

    @Test
    void fourConnectionsWritingAHundredTrialsLoseNothing() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("shared.db");
        long study;
        try (JdbcStudyStorage s = JdbcStudyStorage.open(url)) {
            study = s.createStudy("race", Direction.MINIMIZE);
        }
        runWorkers(study, () -> JdbcStudyStorage.open(url), true);
        try (JdbcStudyStorage s = JdbcStudyStorage.open(url)) {
            assertAllTrialsStored(s.trials(study));
        }
    }

    /**
     * The same race on PostgreSQL, where only the lock on the study's row makes "max + 1, insert"
     * atomic (without it, most of 200 concurrent inserts failed on the unique key in a probe).
     */
    @Test
    void fourPostgresConnectionsWritingAHundredTrialsLoseNothing() throws Exception {
        String url = TestPostgres.freshSchema();
        long study;
        try (JdbcStudyStorage s = JdbcStudyStorage.open(url)) {
            study = s.createStudy("race", Direction.MINIMIZE);
        }
        runWorkers(study, () -> JdbcStudyStorage.open(url), true);
        try (JdbcStudyStorage s = JdbcStudyStorage.open(url)) {
            assertAllTrialsStored(s.trials(study));
        }
    }

    @Test
    void oneStorageSharedByFourThreadsLosesNothing() throws Exception {
        try (JdbcStudyStorage shared = JdbcStudyStorage.open("jdbc:sqlite:" + dir.resolve("one.db"))) {
            long study = shared.createStudy("race", Direction.MINIMIZE);
            runWorkers(study, () -> shared, false);
            assertAllTrialsStored(shared.trials(study));
        }
    }

    private interface Opener {
        JdbcStudyStorage open();
    }

    private static void runWorkers(long study, Opener opener, boolean closeEach) throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS); // all threads race from the same moment
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < THREADS; w++) {
                int worker = w;
                futures.add(pool.submit(() -> {
                    JdbcStudyStorage s = opener.open();
                    try {
                        start.await();
                        for (int i = 0; i < TRIALS_EACH; i++) writeTrial(s, study, worker, i);
                    } finally {
                        if (closeEach) s.close();
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) f.get();
        } finally {
            pool.shutdown();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void fourProcessesWritingAtOnceLoseNothing() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("processes.db");
        long study;
        try (JdbcStudyStorage s = JdbcStudyStorage.open(url)) {
            study = s.createStudy("race", Direction.MINIMIZE);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> processes = new ArrayList<>();
        for (int w = 0; w < THREADS; w++) {
            processes.add(new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    TrialWriterProcess.class.getName(), url, "race", String.valueOf(w), String.valueOf(TRIALS_EACH))
                    .redirectErrorStream(true).start());
        }
        for (Process p : processes) {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(50, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), output);
        }
        try (JdbcStudyStorage s = JdbcStudyStorage.open(url)) {
            assertAllTrialsStored(s.trials(study));
        }
    }

    /** One complete trial whose params, intermediates and value all derive from (worker, i). */
    static void writeTrial(JdbcStudyStorage s, long study, long worker, int i) {
        TrialId t = s.createTrial(study);
        s.setParams(t, Map.of("worker", worker, "i", (long) i));
        for (int step = 0; step < STEPS; step++) s.reportIntermediate(t, step, worker * 1000 + i + step * 0.25);
        s.finish(t, TrialState.COMPLETE, (double) (worker * 1000 + i), null);
    }

    private static void assertAllTrialsStored(List<FrozenTrial> trials) {
        assertEquals(THREADS * TRIALS_EACH, trials.size());
        boolean[] seen = new boolean[THREADS * TRIALS_EACH];
        for (int k = 0; k < trials.size(); k++) {
            FrozenTrial t = trials.get(k);
            assertEquals(k, t.number(), "numbers must be 0..99 without gaps or duplicates");
            assertEquals(TrialState.COMPLETE, t.state());
            long worker = (Long) t.params().get("worker"), i = (Long) t.params().get("i");
            int key = (int) (worker * TRIALS_EACH + i);
            assertEquals(false, seen[key], "worker " + worker + " trial " + i + " stored twice");
            seen[key] = true;
            assertEquals((double) (worker * 1000 + i), t.value());
            assertEquals(STEPS, t.intermediate().size(), "intermediates of trial " + k);
            for (int step = 0; step < STEPS; step++) assertEquals(worker * 1000 + i + step * 0.25, t.intermediate().get(step));
        }
    }
}
