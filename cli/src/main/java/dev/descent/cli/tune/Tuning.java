package dev.descent.cli.tune;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.descent.cli.build.DataFactory;
import dev.descent.cli.build.DataSelection;
import dev.descent.cli.build.LossFactory;
import dev.descent.cli.build.MetricFactory;
import dev.descent.cli.build.TensorBoardOption;
import dev.descent.cli.config.ConfigException;
import dev.descent.cli.config.ConfigFile;
import dev.descent.cli.config.Suggest;
import dev.descent.cli.report.Importances;
import dev.descent.cli.report.TuneReport;
import dev.descent.cli.run.RunDirectory;
import dev.descent.cli.run.TrainingRun;
import dev.descent.metric.Metric;
import dev.descent.search.Condition;
import dev.descent.search.Dimension;
import dev.descent.search.Direction;
import dev.descent.search.FrozenTrial;
import dev.descent.search.Objective;
import dev.descent.search.ParamImportances;
import dev.descent.search.Parameter;
import dev.descent.search.SearchSpace;
import dev.descent.search.Study;
import dev.descent.search.TrialBudget;
import dev.descent.study.JdbcStudy;
import dev.descent.study.JdbcStudyStorage;
import dev.descent.study.StudyMismatchException;
import dev.descent.study.StudyStorageException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A whole {@code descent tune}: reads the {@code search:} section, checks everything that can be
 * checked before a trial trains (each parameter's path, the metric, the data, the folds), opens
 * or continues the study in its database (SQLite or PostgreSQL), runs trials through
 * {@link Study#optimize} until the study holds its total, and writes the leaderboard, best.yaml
 * and tune.html.
 *
 * <p>{@code trials} is the study's total, so re-running the same command after an interruption
 * runs only what is missing, and a larger {@code --trials} extends the study. The study keeps
 * the direction and search space it was created with; a configuration that changes either is
 * refused (exit 2) before anything in the database changes, since the stored trials would not
 * belong to its search. Any number of {@code descent tune} processes given the same study and
 * database run it together: the total is counted in the database, and a process whose budget is
 * spent waits for the others' trials (or their failure by heartbeat) before it writes its report.
 */
public final class Tuning {
    public static final String LEADERBOARD = "leaderboard.csv";
    public static final String BEST = "best.yaml";
    public static final String DATABASE = "study.db";

    /**
     * Command-line overrides of the section; null keeps the file's value.
     *
     * @param trials   the study's total number of trials
     * @param timeout  how long this invocation may start new trials
     * @param parallel trials at once
     * @param storage  the study's database (a file or URL), overriding search.storage
     * @param spark    the Spark master to train the trials on (null: in this process)
     */
    public record Overrides(Integer trials, Duration timeout, Integer parallel, String storage, String spark) {}

    /** What the study holds after this invocation. */
    public record Result(Leaderboard leaderboard, Optional<FrozenTrial> best, int ran, Importances importances) {}

    private Tuning() {}

    public static Result run(ConfigFile file, Path dir, Overrides over, PrintStream out) throws IOException {
        SearchSpec spec = SearchSpec.of(file);
        ConfigFile base = SearchSpec.base(file);
        Integer total = over.trials() != null ? over.trials() : spec.trials();
        Duration timeout = over.timeout() != null ? over.timeout() : spec.timeout();
        int parallel = over.parallel() != null ? over.parallel() : spec.parallel();
        if (total == null && timeout == null) throw new ConfigException("search: give trials: N and/or timeout: 10m (or --trials / --timeout)");
        if (total != null && total < 1) throw new ConfigException("--trials: must be at least 1, got " + total);
        if (parallel < 1) throw new ConfigException("--parallel: must be at least 1, got " + parallel);
        check(base, spec);
        // the engine first: a master that cannot be reached is refused before anything is written
        try (TrialEngine.Trials engine = over.spark() == null ? null : startSpark(over.spark(), file)) {
            if (engine != null) {
                parallel = Math.min(parallel, engine.slots());
                out.println("spark: " + over.spark() + ", " + parallel + " trial" + (parallel == 1 ? "" : "s") + " at once ("
                        + engine.slots() + " slot" + (engine.slots() == 1 ? "" : "s") + ")");
            }
            Objective objective = engine == null ? new TuneObjective(base, spec, dir, out) : new RemoteObjective(engine, file, spec, dir, out);
            return study(file, dir, over, spec, base, objective, total, timeout, parallel, out);
        }
    }

    private static TrialEngine.Trials startSpark(String master, ConfigFile file) {
        TrialEngine engine = TrialEngine.find("spark").orElseThrow(() -> new ConfigException(
                "--spark: the Spark engine (descent-spark) is not on the class path; run through ./descent, which builds it on first use"));
        return engine.start(master, "descent tune " + studyName(file.source()));
    }

    private static Result study(ConfigFile file, Path dir, Overrides over, SearchSpec spec, ConfigFile base, Objective objective, Integer total,
                                Duration timeout, int parallel, PrintStream out) throws IOException {
        boolean fromOption = over.storage() != null;
        String url = storageUrl(fromOption ? over.storage() : spec.storage(), dir, fromOption ? "--storage" : "search.storage");
        if (url.startsWith(SQLITE)) Files.createDirectories(Path.of(url.substring(SQLITE.length())).toAbsolutePath().getParent());
        TrialBudget budget = new TrialBudget(total == null ? Integer.MAX_VALUE : total, spec.retryFailed());
        try (JdbcStudyStorage db = JdbcStudyStorage.open(url);
             JdbcStudy storage = JdbcStudy.open(db, studyName(file.source()), spec.direction(), spec.space().space(), spec.metric(), spec.heartbeat())) {
            Files.createDirectories(dir);   // only once the database is known good: a refused storage writes nothing
            Study study = Study.create(spec.space().space(), spec.direction(), spec.sampler(), spec.pruner(), TrialConfigs.baseSeed(base), storage);
            int before = study.trials().size();
            checkTrialDirectories(dir, storage);
            if (before > 0) out.println("continuing the study in " + db.location() + ": " + before + " trials so far");
            if (TensorBoardOption.enabled(base)) TrialBoard.experiment(dir, spec.space().space(), spec.metric());
            study.optimize(objective, budget, timeout, parallel);
            List<FrozenTrial> trials = study.trials();
            Leaderboard board = Leaderboard.of(trials, spec.direction(), spec.metric(), spec.space().space().names(), spec.folds());
            RunDirectory.writeAtomically(dir.resolve(LEADERBOARD), board.csv());
            Optional<FrozenTrial> best = study.bestTrial();
            if (best.isPresent()) writeBest(base, best.get(), dir.resolve(BEST));
            Importances importances = importances(spec.space().space(), trials);
            report(dir, file, trials, board, spec, importances);
            return new Result(board, best, trials.size() - before, importances);
        } catch (StudyMismatchException e) {
            throw new ConfigException(e.message("this config has"));
        } catch (StudyStorageException e) {
            throw new ConfigException((fromOption ? "--storage: " : "search.storage: ") + e.getMessage());
        }
    }

    private static void report(Path dir, ConfigFile file, List<FrozenTrial> trials, Leaderboard board, SearchSpec spec, Importances importances)
            throws IOException {
        TuneReport.write(dir, new TuneReport.Contents("Study: " + studyName(file.source()), spec.metric(), spec.direction() == Direction.MAXIMIZE,
                spec.space().space(), trials, importances, board.tableHeader(), board.tableRows(), Files.readString(file.source())));
    }

    /**
     * fANOVA importances with a fixed seed, so tune.html and the summary show the same numbers each
     * time; or why there are none (fewer than 2 completed trials, no parameter set in all of them).
     */
    static Importances importances(SearchSpace space, List<FrozenTrial> trials) {
        try {
            return Importances.of(ParamImportances.compute(space, trials));
        } catch (IllegalArgumentException e) {
            return Importances.unavailableBecause(e.getMessage());
        }
    }

    /**
     * best.yaml: the base configuration with the best trial's parameters and its seed, so training
     * it repeats the trial (on the full training data when the search cross-validated); data paths
     * made absolute, so it trains from the run directory.
     */
    private static void writeBest(ConfigFile base, FrozenTrial best, Path target) throws IOException {
        ConfigFile cfg = TrialConfigs.apply(base, best.params().values(), TrialConfigs.baseSeed(base) + best.number());
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
        RunDirectory.writeAtomically(target, yaml.writeValueAsString(TrainingRun.resolvedConfig(cfg)));
    }

    /**
     * Everything a trial would fail on that is the configuration's fault, checked before the study
     * starts: the base run, each parameter's path (built with a value from its domain, its
     * condition's parents set so that it is active), the folds, and the metric.
     */
    static void check(ConfigFile base, SearchSpec spec) throws IOException {
        Path scratch = Path.of("unused-dry-run");   // a dry run writes nothing
        DataSelection rows = spec.folds() > 0 ? new TuneObjective(base, spec, scratch, System.out).fold(0) : TuneObjective.withoutTest();
        TrainingRun.run(base, scratch, TuneObjective.dryRun(rows));
        boolean validation = spec.folds() > 0 || DataFactory.hasValidation(base.top().section("data"));
        checkMetric(base, spec, validation);
        SearchSpace space = spec.space().space();
        for (Parameter p : space.parameters()) {
            try {
                TrainingRun.run(TrialConfigs.apply(base, activating(space, p), null), scratch, TuneObjective.dryRun(rows));
            } catch (ConfigException e) {
                // The run's message usually starts with the same path: say it once.
                String m = e.getMessage();
                if (m.startsWith(p.name() + ": ")) m = m.substring(p.name().length() + 2);
                throw new ConfigException("search.params." + p.name() + ": " + m);
            }
        }
    }

    /**
     * New trials are numbered after the stored ones; a directory already there for the next number
     * belongs to another study (the database was deleted or replaced), and every trial would fail
     * on it; unless another worker of this study has just created that trial, which the second
     * look at the database tells.
     */
    private static void checkTrialDirectories(Path dir, JdbcStudy storage) {
        int next = storage.trials().size();
        Path trialDir = TuneObjective.trialDir(dir, next);
        if (Files.exists(trialDir) && storage.trials().size() <= next) {
            throw new ConfigException(dir + ": holds " + trialDir.getFileName() + " under trials/, but its study database has only " + next
                    + " trials; choose another --out, or restore the study's database");
        }
    }

    private static void checkMetric(ConfigFile base, SearchSpec spec, boolean hasValidation) {
        if (!hasValidation) {
            throw new ConfigException("search.metric: " + spec.metric() + " needs validation data; add data.validation_split (or data.validation), or search.cv");
        }
        LossFactory.Built loss = LossFactory.build(base.top().raw("loss"));
        List<String> produced = new ArrayList<>(List.of("val_loss"));
        for (Metric m : MetricFactory.build(base.top().raw("metrics"), loss)) produced.add("val_" + m.name());
        if (!produced.contains(spec.metric())) {
            throw new ConfigException("search.metric: '" + spec.metric() + "' is not produced by this config" + Suggest.hint(spec.metric(), produced)
                    + " (it produces " + String.join(", ", produced) + "; list metrics: to add more)");
        }
    }

    /** A value for {@code p} and for each parent its condition needs, so {@code p} is active. */
    private static Map<String, Object> activating(SearchSpace space, Parameter p) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Parameter q = p; q != null; ) {
            values.putIfAbsent(q.name(), sample(q.dimension()));
            Condition c = q.condition();
            if (c == null) break;
            values.put(c.parent(), c.values().get(0));
            q = space.parameter(c.parent());
        }
        return values;
    }

    private static Object sample(Dimension d) {
        return switch (d) {
            case Dimension.Uniform u -> u.low();
            case Dimension.LogUniform u -> u.low();
            case Dimension.IntRange r -> (long) r.low();
            case Dimension.Categorical c -> c.choices().get(0);
        };
    }

    private static final String SQLITE = "jdbc:sqlite:";

    /**
     * The study database's URL: a URL (anything with a scheme) as given, for the storage to accept
     * or refuse; a path relative to the run directory; default the run directory's study.db.
     */
    static String storageUrl(String storage, Path dir, String key) {
        if (storage == null) return SQLITE + dir.resolve(DATABASE).toAbsolutePath();
        if (storage.isBlank()) throw new ConfigException(key + ": expected a file or a URL, got an empty value");
        if (storage.matches("[A-Za-z][A-Za-z0-9+.-]+:.*") && !Path.of(storage).isAbsolute()) return storage;
        return SQLITE + dir.resolve(storage).toAbsolutePath();
    }

    private static String studyName(Path source) {
        return source.getFileName().toString().replaceFirst("\\.[^.]*$", "");
    }
}
