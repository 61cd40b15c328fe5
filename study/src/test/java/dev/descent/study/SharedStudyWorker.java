package dev.descent.study;

import dev.descent.search.Direction;
import dev.descent.search.Pruner;
import dev.descent.search.RandomSampler;
import dev.descent.search.Study;
import dev.descent.search.TrialBudget;
import java.time.Duration;

/**
 * One worker process of {@link SharedStudyTest}:
 * {@code SharedStudyWorker <url> <heartbeat ms> <grace ms> <trials> <retries> <trial ms>}. Runs the study
 * "shared" with 4 threads until its budget is spent, each trial sleeping {@code trial ms} (longer
 * than the heartbeat grace, so that only heartbeats keep it alive) and returning its number. It
 * prints "started N" when trial N starts and "finished N" when its objective returns, so the test
 * knows which trials were in flight when it killed the process.
 */
public final class SharedStudyWorker {
    static final int THREADS = 4;

    private SharedStudyWorker() {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        JdbcStudy.Heartbeat beat = new JdbcStudy.Heartbeat(Duration.ofMillis(Long.parseLong(args[1])), Duration.ofMillis(Long.parseLong(args[2])));
        TrialBudget budget = new TrialBudget(Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        long trialMillis = Long.parseLong(args[5]);
        try (JdbcStudyStorage db = JdbcStudyStorage.open(url);
             JdbcStudy storage = JdbcStudy.open(db, "shared", Direction.MINIMIZE, SharedStudyTest.SPACE, "val_loss", beat)) {
            Study study = Study.create(SharedStudyTest.SPACE, Direction.MINIMIZE, new RandomSampler(), Pruner.none(), 5, storage);
            study.optimize(trial -> {
                say("started " + trial.number());
                Thread.sleep(trialMillis);
                say("finished " + trial.number());
                return trial.number();
            }, budget, null, THREADS);
        }
        say("done");
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
