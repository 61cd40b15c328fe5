package dev.descent.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.search.Direction;
import dev.descent.search.FrozenTrial;
import dev.descent.search.TrialState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real worker process in the middle of a trial (destroyForcibly: SIGKILL, so no shutdown
 * hook or finally block runs) and checks that a second process resumes without losing or
 * repeating finished work.
 */
class InterruptAndResumeTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aKilledWorkersTrialIsFailedAndReRunWhileFinishedTrialsStay() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("resume.db");

        Process first = worker(url, 5, 3);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals("started trial 3")) {
                assertTrue(line.startsWith("started trial "), "unexpected worker output: " + line);
            }
            assertEquals("started trial 3", line, "worker ended before trial 3");
            first.destroyForcibly();
        }
        assertTrue(first.waitFor(20, TimeUnit.SECONDS));

        try (JdbcStudyStorage s = JdbcStudyStorage.open(url)) {
            long study = s.createStudy("resumable", Direction.MINIMIZE);
            List<FrozenTrial> trials = s.trials(study);
            assertEquals(4, trials.size());
            for (int k = 0; k < 3; k++) {
                assertEquals(TrialState.COMPLETE, trials.get(k).state(), "trial " + k);
                assertEquals(k / 2.0 * (k / 2.0), trials.get(k).value());
                assertEquals(2, trials.get(k).intermediate().size());
            }
            FrozenTrial killed = trials.get(3);
            assertEquals(TrialState.RUNNING, killed.state(), "nothing could record the kill");
            assertEquals(Map.of(0, 1.5 * 1.5 + 1), killed.intermediate(), "what it wrote before the kill is kept");
        }

        Process second = worker(url, 5, -1);
        String output = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(second.waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, second.exitValue(), output + new String(second.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        // 0..2 are kept, the re-run of 3 is trial 4, and trial 5 makes the fifth COMPLETE one
        assertEquals(List.of("started trial 4", "started trial 5", "done"), output.lines().toList(),
                "the resumed worker must not repeat trials 0..2");

        try (JdbcStudyStorage s = JdbcStudyStorage.open(url)) {
            List<FrozenTrial> trials = s.trials(s.createStudy("resumable", Direction.MINIMIZE));
            assertEquals(List.of(0, 1, 2, 3, 4, 5), trials.stream().map(FrozenTrial::number).toList());
            FrozenTrial interrupted = trials.get(3);
            assertEquals(TrialState.FAIL, interrupted.state());
            assertEquals("interrupted", interrupted.error());
            assertEquals(Map.of("x", 1.5), interrupted.params().values());
            assertEquals(Map.of("x", 1.5), trials.get(4).params().values(), "the interrupted trial is re-run with its parameters");
            assertEquals(TrialState.COMPLETE, trials.get(4).state());
            assertEquals(Map.of("x", 2.5), trials.get(5).params().values());
            assertEquals(5, trials.stream().filter(t -> t.state() == TrialState.COMPLETE).count());
        }
    }

    private static Process worker(String url, int wanted, int hang) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // java.class.path here is the test class path (or surefire's manifest-only jar pointing at it)
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                InterruptibleWorker.class.getName(), url, String.valueOf(wanted), String.valueOf(hang))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }
}
