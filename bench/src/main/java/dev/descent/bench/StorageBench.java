package dev.descent.bench;

import dev.descent.search.Dimension;
import dev.descent.search.Direction;
import dev.descent.search.Parameter;
import dev.descent.search.Pruner;
import dev.descent.search.RandomSampler;
import dev.descent.search.SearchSpace;
import dev.descent.search.Study;
import dev.descent.search.TrialBudget;
import dev.descent.study.JdbcStudy;
import dev.descent.study.JdbcStudyStorage;
import java.time.Duration;
import java.util.Locale;

/**
 * One worker of a shared study whose objective does nothing, so its time is the storage's: ask
 * (create the trial, sample, store the parameter), tell (finish it). scripts/bench-storage.sh
 * starts W of these at once on one study and divides the wall time by the trials; Optuna's
 * counterpart is scripts/bench_storage_optuna.py.
 *
 * <p>Run: {@code java -cp bench/target/descent-bench.jar dev.descent.bench.StorageBench --url URL
 * --study NAME --trials N}: runs the study NAME at URL until it holds N trials (counted in the
 * database, so W workers together run N), with one thread and the random sampler, then prints
 *
 * <pre>storage impl=descent seconds=1.234</pre>
 *
 * {@code --quick}: 10 trials (a smoke run, CI's, on an SQLite file).
 */
public final class StorageBench {
    private static final SearchSpace SPACE = SearchSpace.of(Parameter.of("x", Dimension.uniform(0, 1)));

    private StorageBench() {}

    public static void main(String[] args) {
        String url = null, study = "bench";
        int trials = 200;
        for (int i = 0; i < args.length; i += 2) {
            if (args[i].equals("--quick")) {
                trials = 10;
                i--;
                continue;
            }
            if (i + 1 >= args.length) throw new IllegalArgumentException("argument " + args[i] + " needs a value");
            switch (args[i]) {
                case "--url" -> url = args[i + 1];
                case "--study" -> study = args[i + 1];
                case "--trials" -> trials = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (expected --url, --study, --trials, --quick)");
            }
        }
        if (url == null) throw new IllegalArgumentException("--url is required");
        long t0 = System.nanoTime();
        try (JdbcStudyStorage db = JdbcStudyStorage.open(url);
             JdbcStudy storage = JdbcStudy.open(db, study, Direction.MINIMIZE, SPACE, "value", JdbcStudy.Heartbeat.DEFAULT)) {
            Study s = Study.create(SPACE, Direction.MINIMIZE, new RandomSampler(), Pruner.none(), ProcessHandle.current().pid(), storage);
            s.optimize(t -> t.params().getDouble("x"), new TrialBudget(trials, 0), (Duration) null, 1);
        }
        System.out.printf(Locale.ROOT, "storage impl=descent seconds=%.3f%n", (System.nanoTime() - t0) / 1e9);
    }
}
