package dev.descent.study;

import dev.descent.search.Direction;

/**
 * Run in its own JVM by {@link ConcurrentWritersTest}:
 * {@code TrialWriterProcess <jdbc url> <study name> <worker tag> <trials>}. Writes that many
 * complete trials, each with params {worker, i}, three intermediate values and a value, so the
 * test can tell whose trials arrived and whether any write was lost.
 */
public final class TrialWriterProcess {
    private TrialWriterProcess() {}

    public static void main(String[] args) {
        String url = args[0], name = args[1];
        long worker = Long.parseLong(args[2]);
        int trials = Integer.parseInt(args[3]);
        try (JdbcStudyStorage s = JdbcStudyStorage.open(url)) {
            long study = s.createStudy(name, Direction.MINIMIZE);
            for (int i = 0; i < trials; i++) ConcurrentWritersTest.writeTrial(s, study, worker, i);
        }
    }
}
