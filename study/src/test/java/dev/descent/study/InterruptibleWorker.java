package dev.descent.study;

import dev.descent.search.Direction;
import dev.descent.search.FrozenTrial;
import dev.descent.search.TrialState;
import java.time.Duration;
import java.util.Map;

/**
 * A stand-in for a search process, run in its own JVM by {@link InterruptAndResumeTest}:
 * {@code InterruptibleWorker <jdbc url> <trials wanted> <trial number to hang in, or -1>}.
 *
 * <p>It resumes the way a real driver should: fail the trials a dead process left running,
 * re-run their parameters as new trials, then create trials until the study has the wanted
 * number of COMPLETE ones. Trial k's parameter is x = k / 2 and its value x * x. It prints
 * "started trial k" once trial k has parameters and a first intermediate value, and in the trial
 * numbered {@code hang} it then sleeps so the test can kill it there.
 */
public final class InterruptibleWorker {
    private InterruptibleWorker() {}

    public static void main(String[] args) throws InterruptedException {
        String url = args[0];
        int wanted = Integer.parseInt(args[1]);
        int hang = Integer.parseInt(args[2]);
        try (JdbcStudyStorage s = JdbcStudyStorage.open(url)) {
            long study = s.createStudy("resumable", Direction.MINIMIZE);
            for (FrozenTrial interrupted : s.failInterruptedTrials(study, Duration.ZERO)) {
                run(s, study, (Double) interrupted.params().get("x"), hang);
            }
            while (s.trials(study).stream().filter(t -> t.state() == TrialState.COMPLETE).count() < wanted) {
                run(s, study, null, hang);
            }
        }
        System.out.println("done");
    }

    private static void run(JdbcStudyStorage s, long study, Double rerunX, int hang) throws InterruptedException {
        TrialId t = s.createTrial(study);
        double x = rerunX != null ? rerunX : t.number() / 2.0;
        s.setParams(t, Map.of("x", x));
        s.reportIntermediate(t, 0, x * x + 1);
        System.out.println("started trial " + t.number());
        System.out.flush();
        if (t.number() == hang) Thread.sleep(60_000);
        s.reportIntermediate(t, 1, x * x + 0.5);
        s.finish(t, TrialState.COMPLETE, x * x, null);
    }
}
