package dev.descent.cli.build;

import com.fasterxml.jackson.databind.JsonNode;
import dev.descent.cli.config.ConfigException;
import dev.descent.cli.config.Section;
import dev.descent.cli.config.Suggest;
import dev.descent.schedule.Anneal;
import dev.descent.schedule.CyclicMode;
import dev.descent.schedule.PlateauOptions;
import dev.descent.schedule.Schedule;
import dev.descent.schedule.Schedules;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the learning-rate schedule of a config's {@code schedule:} mapping with
 * {@link Schedules}, options named as in PyTorch's {@code torch.optim.lr_scheduler}.
 *
 * <p>Every step count ({@code T_max}, {@code step_size}, {@code milestones}, {@code total_iters},
 * ...) counts <em>optimizer steps</em>, as in PyTorch when the scheduler is stepped after every
 * batch. {@code T_max} (cosine) and {@code total_steps} (onecycle) default to the run's total
 * number of optimizer steps (for cosine, less its warmup). Any schedule but warmup_stable_decay, cyclic and onecycle may have
 * {@code warmup_steps} (and {@code warmup_start_factor}, default 1/3 as PyTorch's LinearLR): a
 * linear warmup in front, after which the schedule starts from its own step 0.
 */
public final class ScheduleFactory {
    public static final List<String> NAMES = List.of("step", "multistep", "exponential", "cosine", "cosine_warm_restarts", "linear",
            "constant", "polynomial", "onecycle", "cyclic", "inverse_sqrt", "warmup_stable_decay", "plateau");

    private ScheduleFactory() {}

    /**
     * The schedule and, for plateau, the metric it watches.
     *
     * @param monitor the metric a reduce-on-plateau rule is fed (null for other schedules)
     */
    public record Built(Schedule schedule, String monitor) {}

    /**
     * @param node       the {@code schedule:} mapping, or null for a constant rate
     * @param lr         the optimizer's learning rate (the schedule's base rate)
     * @param totalSteps optimizer steps the run will take, for defaults
     */
    public static Built build(JsonNode node, double lr, long totalSteps) {
        if (node == null || node.isNull()) return new Built(Schedules.constant(lr), null);
        Section s = node.isTextual() ? named(node.asText()) : new Section("schedule", node);
        String name = s.requiredString("name");
        if (!NAMES.contains(name)) {
            throw new ConfigException("schedule.name: unknown schedule '" + name + "'" + Suggest.hint(name, NAMES) + " (choose from "
                    + String.join(", ", NAMES) + ")");
        }
        try {
            String monitor = null;
            boolean warmupAllowed = true;
            Schedule schedule = switch (name) {
                case "step" -> Schedules.step(lr, longValue(s, "step_size", -1, true), s.number("gamma", 0.1));
                case "multistep" -> Schedules.multiStep(lr, milestones(s), s.number("gamma", 0.1));
                case "exponential" -> Schedules.exponential(lr, s.requiredNumber("gamma"));
                // After a warmup the cosine starts from its own step 0, so by default it spans the steps left.
                case "cosine" -> Schedules.cosine(lr, longValue(s, "T_max", Math.max(1, totalSteps - node.path("warmup_steps").asLong(0)), false),
                        s.number("eta_min", 0.0));
                case "cosine_warm_restarts" -> Schedules.cosineWarmRestarts(lr, longValue(s, "T_0", -1, true), longValue(s, "T_mult", 1, false),
                        s.number("eta_min", 0.0));
                case "linear" -> Schedules.linear(lr, s.number("start_factor", 1.0 / 3), s.number("end_factor", 1.0), longValue(s, "total_iters", 5, false));
                case "constant" -> Schedules.constantFactor(lr, s.number("factor", 1.0 / 3), longValue(s, "total_iters", 5, false));
                case "polynomial" -> Schedules.polynomial(lr, longValue(s, "total_iters", 5, false), s.number("power", 1.0));
                case "onecycle" -> {
                    warmupAllowed = false;
                    String anneal = s.choice("anneal_strategy", "cos", List.of("cos", "linear"));
                    yield Schedules.oneCycle(s.number("max_lr", lr), longValue(s, "total_steps", totalSteps, false), s.number("pct_start", 0.3),
                            anneal.equals("cos") ? Anneal.COSINE : Anneal.LINEAR, s.number("div_factor", 25), s.number("final_div_factor", 1e4),
                            s.bool("three_phase", false));
                }
                case "cyclic" -> {
                    warmupAllowed = false;
                    long up = longValue(s, "step_size_up", 2000, false);
                    String mode = s.choice("mode", "triangular", List.of("triangular", "triangular2", "exp_range"));
                    yield Schedules.cyclic(s.number("base_lr", lr), s.requiredNumber("max_lr"), up, longValue(s, "step_size_down", up, false),
                            CyclicMode.valueOf(mode.toUpperCase()), s.number("gamma", 1.0));
                }
                case "inverse_sqrt" -> Schedules.inverseSqrt(lr);
                case "warmup_stable_decay" -> {
                    warmupAllowed = false;
                    String decay = s.choice("decay", "one_minus_sqrt", List.of("linear", "cos", "one_minus_sqrt"));
                    yield Schedules.warmupStableDecay(lr, longValue(s, "warmup_steps", 0, false), longValue(s, "stable_steps", -1, true),
                            longValue(s, "decay_steps", -1, true), s.number("min_lr", 0.0),
                            switch (decay) {
                                case "linear" -> Anneal.LINEAR;
                                case "cos" -> Anneal.COSINE;
                                default -> Anneal.ONE_MINUS_SQRT;
                            });
                }
                case "plateau" -> {
                    monitor = s.string("monitor", "val_loss");
                    String mode = s.choice("mode", "min", List.of("min", "max"));
                    String thresholdMode = s.choice("threshold_mode", "rel", List.of("rel", "abs"));
                    PlateauOptions d = PlateauOptions.defaults();
                    yield Schedules.reduceOnPlateau(lr, new PlateauOptions(PlateauOptions.Mode.valueOf(mode.toUpperCase()), s.number("factor", d.factor()),
                            s.integer("patience", d.patience()), s.number("threshold", d.threshold()),
                            PlateauOptions.ThresholdMode.valueOf(thresholdMode.toUpperCase()), s.integer("cooldown", d.cooldown()),
                            s.number("min_lr", d.minLr()), s.number("eps", d.eps())));
                }
                default -> throw new IllegalStateException("schedule table and switch disagree on " + name);
            };
            if (warmupAllowed && s.has("warmup_steps")) {
                long warmup = longValue(s, "warmup_steps", 0, false);
                double startFactor = s.number("warmup_start_factor", 1.0 / 3);
                if (schedule instanceof dev.descent.schedule.PlateauSchedule) {
                    throw new ConfigException("schedule.warmup_steps: not available with plateau");
                }
                schedule = schedule.withWarmup(warmup, startFactor);
            } else if (warmupAllowed) {
                s.has("warmup_start_factor");
            }
            s.finish();
            return new Built(schedule, monitor);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("schedule: " + e.getMessage());
        }
    }

    private static Section named(String name) {
        var node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        node.put("name", name);
        return new Section("schedule", node);
    }

    private static long longValue(Section s, String key, long fallback, boolean required) {
        if (required && !s.has(key)) throw new ConfigException(s.name(key) + ": required for schedule " + s.string("name", ""));
        double v = s.number(key, fallback);
        if (v != Math.rint(v)) throw new ConfigException(s.name(key) + ": expected a whole number of optimizer steps, got " + v);
        return (long) v;
    }

    private static List<Long> milestones(Section s) {
        double[] m = s.numbers("milestones");
        if (m == null) throw new ConfigException(s.name("milestones") + ": required, a list of optimizer steps");
        List<Long> out = new ArrayList<>();
        for (double v : m) out.add((long) v);
        return out;
    }
}
