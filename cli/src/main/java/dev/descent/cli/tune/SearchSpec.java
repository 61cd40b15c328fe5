package dev.descent.cli.tune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.descent.cli.config.ConfigException;
import dev.descent.cli.config.ConfigFile;
import dev.descent.cli.config.Section;
import dev.descent.search.Direction;
import dev.descent.search.GridSampler;
import dev.descent.search.MedianPruner;
import dev.descent.search.Pruner;
import dev.descent.search.RandomSampler;
import dev.descent.search.Sampler;
import dev.descent.search.SuccessiveHalvingPruner;
import dev.descent.search.TpeSampler;
import dev.descent.study.JdbcStudy;
import dev.descent.train.Callbacks;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code search:} section of a configuration:
 * <pre>
 * search:
 *   metric: val_accuracy        # direction from the name (…loss, mse, mae, rmse: minimize) or direction:
 *   sampler: tpe                # grid | random | tpe
 *   pruner: median              # none | median | {name: asha, min_resource: 1, reduction_factor: 3}
 *   trials: 30                  # the study's total; and/or timeout: 10m (this invocation)
 *   parallel: 2                 # trials at once
 *   cv: {folds: 5, stratified: true}
 *   storage: study.db           # relative to the run directory; or a jdbc:sqlite:, jdbc:postgresql:// or postgresql:// URL
 *   heartbeat_interval: 10s     # how often a running trial tells the other workers it is alive
 *   heartbeat_grace: 20s        # default 2 intervals: a trial silent longer is failed as interrupted
 *   retry_failed: 0             # re-run a failed trial's parameters up to this many times
 *   params: {...}               # see SpaceReader
 * </pre>
 *
 * @param trials    the study's total number of trials, null when only the timeout bounds it
 * @param timeout   how long this invocation may start trials, null for no limit
 * @param folds     cross-validation folds, 0 without cross-validation
 * @param storage   the storage key as written, null for the default
 * @param heartbeat how this worker's running trials show they are alive, and when another's are not
 * @param retryFailed how many times a failed trial's parameters are re-run as a new trial
 */
public record SearchSpec(String metric, Direction direction, String samplerName, Sampler sampler, String prunerName, Pruner pruner,
                         Integer trials, Duration timeout, int parallel, int folds, boolean stratified, String storage, JdbcStudy.Heartbeat heartbeat,
                         int retryFailed, SpaceReader.Read space) {
    public static final String KEY = "search";

    static final List<String> SAMPLERS = List.of("tpe", "random", "grid");
    static final List<String> PRUNERS = List.of("none", "median", "asha");

    /** Reads the section from a loaded configuration. */
    public static SearchSpec of(ConfigFile file) {
        Section top = file.top();
        if (!top.has(KEY)) throw new ConfigException(file.source() + ": no 'search:' section; add search: {metric: val_loss, params: {optimizer.lr: {log_uniform: [1e-4, 1e-1]}}}");
        Section s = top.section(KEY);
        String metric = s.requiredString("metric");
        String dir = s.choice("direction", Callbacks.higherIsBetter(metric) ? "maximize" : "minimize", List.of("minimize", "maximize"));
        Direction direction = dir.equals("maximize") ? Direction.MAXIMIZE : Direction.MINIMIZE;
        SpaceReader.Read space = SpaceReader.read(s.raw("params"));
        String samplerName = s.choice("sampler", "tpe", SAMPLERS);
        Sampler sampler = switch (samplerName) {
            case "random" -> new RandomSampler();
            case "grid" -> grid(space);
            default -> new TpeSampler();
        };
        String prunerName;
        Pruner pruner;
        JsonNode p = s.raw("pruner");
        if (p instanceof ObjectNode) {
            Section ps = s.section("pruner");
            prunerName = ps.choice("name", null, PRUNERS);
            if (prunerName == null) throw new ConfigException("search.pruner.name: required (" + String.join(", ", PRUNERS) + ")");
            pruner = pruner(prunerName, ps);
            ps.finish();
        } else {
            prunerName = s.choice("pruner", "none", PRUNERS);
            pruner = pruner(prunerName, new Section("search.pruner", null));
        }
        Integer trials = s.has("trials") ? s.integer("trials", 0) : null;
        if (trials != null && trials < 1) throw new ConfigException("search.trials: must be at least 1, got " + trials);
        Duration timeout = s.has("timeout") ? duration("search.timeout", s.string("timeout", null)) : null;
        int parallel = s.integer("parallel", 1);
        if (parallel < 1) throw new ConfigException("search.parallel: must be at least 1, got " + parallel);
        int folds = 0;
        boolean stratified = false;
        if (s.has("cv")) {
            Section cv = s.section("cv");
            folds = cv.integer("folds", 5);
            stratified = cv.bool("stratified", false);
            cv.finish();
            if (folds < 2) throw new ConfigException("search.cv.folds: must be at least 2, got " + folds);
        }
        String storage = s.string("storage", null);
        Duration interval = s.has("heartbeat_interval") ? duration("search.heartbeat_interval", s.string("heartbeat_interval", null))
                : JdbcStudy.Heartbeat.DEFAULT.interval();
        Duration grace = s.has("heartbeat_grace") ? duration("search.heartbeat_grace", s.string("heartbeat_grace", null)) : interval.multipliedBy(2);
        if (grace.compareTo(interval) <= 0) {
            throw new ConfigException("search.heartbeat_grace: must be longer than heartbeat_interval (" + interval.toMillis() / 1000.0 + "s), got "
                    + grace.toMillis() / 1000.0 + "s");
        }
        int retryFailed = s.integer("retry_failed", 0);
        if (retryFailed < 0) throw new ConfigException("search.retry_failed: must be at least 0, got " + retryFailed);
        s.finish();
        return new SearchSpec(metric, direction, samplerName, sampler, prunerName, pruner, trials, timeout, parallel, folds, stratified, storage,
                new JdbcStudy.Heartbeat(interval, grace), retryFailed, space);
    }

    /** The configuration without its {@code search:} section: what every trial starts from. */
    public static ConfigFile base(ConfigFile file) {
        ObjectNode base = file.root().deepCopy();
        base.remove(KEY);
        return new ConfigFile(file.source(), base);
    }

    private static Sampler grid(SpaceReader.Read space) {
        try {
            GridSampler g = new GridSampler(space.grids());
            g.combinations(space.space());   // validates now: a double without grid values is a config error, not a failed trial
            return g;
        } catch (IllegalArgumentException e) {
            throw new ConfigException("search.sampler: grid: " + e.getMessage() + " (give double parameters grid: [values])");
        }
    }

    private static Pruner pruner(String name, Section s) {
        return switch (name) {
            case "median" -> new MedianPruner(s.integer("startup_trials", 5), s.integer("warmup_steps", 0), 1, 1);
            case "asha" -> {
                try {
                    yield new SuccessiveHalvingPruner(s.integer("min_resource", 1), s.integer("reduction_factor", 3), 0);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("search.pruner: " + e.getMessage());
                }
            }
            default -> Pruner.none();
        };
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(s|m|h)?");

    /** "90", "90s", "10m", "1.5h": seconds unless a unit says otherwise. */
    public static Duration duration(String where, String text) {
        Matcher m = DURATION.matcher(text == null ? "" : text.trim());
        if (!m.matches()) throw new ConfigException(where + ": expected a duration such as 90s, 10m or 2h, got '" + text + "'");
        double n = Double.parseDouble(m.group(1));
        double seconds = switch (m.group(2) == null ? "s" : m.group(2)) {
            case "m" -> n * 60;
            case "h" -> n * 3600;
            default -> n;
        };
        if (seconds <= 0) throw new ConfigException(where + ": must be positive, got '" + text + "'");
        return Duration.ofMillis(Math.round(seconds * 1000));
    }
}
