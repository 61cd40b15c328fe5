package dev.descent.cli;

import dev.descent.cli.config.ConfigFile;
import dev.descent.cli.tune.SearchSpec;
import dev.descent.cli.tune.Tuning;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code descent tune RUN.yaml}: a hyperparameter search over the config's {@code search:} section.
 * The study is kept in SQLite in the output directory (or in the database {@code --storage} names),
 * so running the same command again continues it, and several such commands share it. Failed and pruned trials are results, not failures: the exit code is 0 once the leaderboard
 * is written.
 */
@Command(name = "tune", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Search hyperparameters over a config's search: section; re-run the same command to continue the study.")
public final class TuneCommand implements Callable<Integer> {
    /** Importances printed after the leaderboard; tune.html has them all. */
    private static final int IMPORTANCES_SHOWN = 5;

    @Parameters(index = "0", paramLabel = "RUN.yaml", description = "The run configuration, with a search: section.")
    Path config;

    @Option(names = "--out", paramLabel = "DIR", description = "Study directory (default: runs/<config name>-tune next to the config, so a re-run continues).")
    Path out;

    @Option(names = "--trials", paramLabel = "N", description = "The study's total number of trials (overrides search.trials).")
    Integer trials;

    @Option(names = "--timeout", paramLabel = "TIME", description = "Start no new trial after this long, e.g. 90s, 10m, 2h (overrides search.timeout).")
    String timeout;

    @Option(names = "--parallel", paramLabel = "N", description = "Trials at once (overrides search.parallel).")
    Integer parallel;

    @Option(names = "--storage", paramLabel = "URL", description = "The study's database (overrides search.storage): a file, a jdbc:sqlite: URL,"
            + " or a jdbc:postgresql:// or postgresql://user@host/db URL; every worker given the same one runs the study together.")
    String storage;

    @Option(names = "--spark", paramLabel = "MASTER", description = "Train the trials as Apache Spark tasks (local[N], spark://host:7077, ...);"
            + " the study stays here, trials at once capped at Spark's slots; needs the descent-spark module (./descent builds it).")
    String spark;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws Exception {
        threads.apply();
        ConfigFile cfg = ConfigFile.load(config, List.of());
        Path dir = out != null ? out : defaultDir(config);
        Duration limit = timeout == null ? null : SearchSpec.duration("--timeout", timeout);
        Tuning.Result result = Tuning.run(cfg, dir, new Tuning.Overrides(trials, limit, parallel, storage, spark), System.out);
        System.out.println();
        System.out.print(result.leaderboard().text());
        System.out.println("parameter importance (fANOVA): " + result.importances().summary(IMPORTANCES_SHOWN));
        result.best().ifPresentOrElse(
                b -> System.out.println("best: trial " + b.number() + "; train it with: descent train " + dir.resolve(Tuning.BEST)),
                () -> System.out.println("no trial completed"));
        System.out.println("study directory: " + dir);
        return Failures.OK;
    }

    /** Without a timestamp, unlike train's: the same command must find the same study again. */
    static Path defaultDir(Path config) {
        Path parent = config.toAbsolutePath().getParent();
        String name = config.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        return parent.resolve("runs").resolve(name + "-tune");
    }
}
