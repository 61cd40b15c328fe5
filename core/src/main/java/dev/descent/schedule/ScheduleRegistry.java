package dev.descent.schedule;

import static dev.descent.registry.Option.bool;
import static dev.descent.registry.Option.choice;
import static dev.descent.registry.Option.computed;
import static dev.descent.registry.Option.number;
import static dev.descent.registry.Option.required;
import static dev.descent.registry.Option.steps;
import static dev.descent.registry.Option.text;
import static dev.descent.registry.Option.whole;

import dev.descent.registry.Option;
import dev.descent.registry.Options;
import dev.descent.registry.Registry;
import dev.descent.registry.Row;
import java.util.ArrayList;
import java.util.List;

/**
 * The learning-rate schedules by name, with the option names, types and defaults of PyTorch's
 * {@code torch.optim.lr_scheduler}: the table the command line's {@code schedule:} mapping reads.
 *
 * <p>Every step count ({@code T_max}, {@code step_size}, {@code milestones}, {@code total_iters},
 * ...) counts optimizer steps. {@code T_max} (cosine) and {@code total_steps} (onecycle) default to
 * the run's length (for cosine, less its warmup). Every schedule but warmup_stable_decay, cyclic
 * and onecycle takes {@code warmup_steps} (and {@code warmup_start_factor}, default 1/3 as
 * PyTorch's LinearLR): a linear warmup in front, after which the schedule starts from its own
 * step 0 (a plateau rule behind a warmup sees the validations after it). Plateau's {@code monitor} names the metric the trainer feeds
 * it; the schedule itself does not use it.
 */
public final class ScheduleRegistry {
    private ScheduleRegistry() {}

    /**
     * What a schedule is built around besides its options.
     *
     * @param lr         the optimizer's learning rate, the schedule's base rate
     * @param totalSteps optimizer steps the run will take, for defaults
     */
    public record Base(double lr, long totalSteps) {}

    public static final Registry<Base, Schedule> REGISTRY = Registry.of("schedule",
            warm("step", (b, o) -> Schedules.step(b.lr(), o.steps("step_size"), o.number("gamma")),
                    required("step_size", Option.Type.STEPS), number("gamma", 0.1)),
            warm("multistep", (b, o) -> Schedules.multiStep(b.lr(), milestones(o.numbers("milestones")), o.number("gamma")),
                    required("milestones", Option.Type.STEP_LIST), number("gamma", 0.1)),
            warm("exponential", (b, o) -> Schedules.exponential(b.lr(), o.number("gamma")), required("gamma", Option.Type.NUMBER)),
            // After a warmup the cosine starts from its own step 0, so by default it spans the steps left.
            warm("cosine", (b, o) -> Schedules.cosine(b.lr(), o.given("T_max") ? o.steps("T_max")
                            : Math.max(1, b.totalSteps() - (o.given("warmup_steps") ? o.steps("warmup_steps") : 0)), o.number("eta_min")),
                    computed("T_max", Option.Type.STEPS, "the run's optimizer steps after any warmup"), number("eta_min", 0.0)),
            warm("cosine_warm_restarts", (b, o) -> Schedules.cosineWarmRestarts(b.lr(), o.steps("T_0"), o.steps("T_mult"), o.number("eta_min")),
                    required("T_0", Option.Type.STEPS), steps("T_mult", 1), number("eta_min", 0.0)),
            warm("linear", (b, o) -> Schedules.linear(b.lr(), o.number("start_factor"), o.number("end_factor"), o.steps("total_iters")),
                    number("start_factor", 1.0 / 3), number("end_factor", 1.0), steps("total_iters", 5)),
            warm("constant", (b, o) -> Schedules.constantFactor(b.lr(), o.number("factor"), o.steps("total_iters")),
                    number("factor", 1.0 / 3), steps("total_iters", 5)),
            warm("polynomial", (b, o) -> Schedules.polynomial(b.lr(), o.steps("total_iters"), o.number("power")),
                    steps("total_iters", 5), number("power", 1.0)),
            new Row<>("onecycle", (b, o) -> Schedules.oneCycle(o.given("max_lr") ? o.number("max_lr") : b.lr(),
                    o.given("total_steps") ? o.steps("total_steps") : b.totalSteps(), o.number("pct_start"),
                    o.text("anneal_strategy").equals("cos") ? Anneal.COSINE : Anneal.LINEAR, o.number("div_factor"), o.number("final_div_factor"),
                    o.bool("three_phase")),
                    choice("anneal_strategy", "cos", "cos", "linear"), computed("max_lr", Option.Type.NUMBER, "the optimizer's lr"),
                    computed("total_steps", Option.Type.STEPS, "the run's optimizer steps"), number("pct_start", 0.3), number("div_factor", 25),
                    number("final_div_factor", 1e4), bool("three_phase", false)),
            new Row<>("cyclic", (b, o) -> Schedules.cyclic(o.given("base_lr") ? o.number("base_lr") : b.lr(), o.number("max_lr"),
                    o.steps("step_size_up"), o.given("step_size_down") ? o.steps("step_size_down") : o.steps("step_size_up"),
                    CyclicMode.valueOf(o.text("mode").toUpperCase()), o.number("gamma")),
                    steps("step_size_up", 2000), choice("mode", "triangular", "triangular", "triangular2", "exp_range"),
                    computed("base_lr", Option.Type.NUMBER, "the optimizer's lr"), required("max_lr", Option.Type.NUMBER),
                    computed("step_size_down", Option.Type.STEPS, "step_size_up"), number("gamma", 1.0)),
            warm("inverse_sqrt", (b, o) -> Schedules.inverseSqrt(b.lr())),
            new Row<>("warmup_stable_decay", (b, o) -> Schedules.warmupStableDecay(b.lr(), o.steps("warmup_steps"), o.steps("stable_steps"),
                    o.steps("decay_steps"), o.number("min_lr"), switch (o.text("decay")) {
                        case "linear" -> Anneal.LINEAR;
                        case "cos" -> Anneal.COSINE;
                        default -> Anneal.ONE_MINUS_SQRT;
                    }),
                    choice("decay", "one_minus_sqrt", "linear", "cos", "one_minus_sqrt"), steps("warmup_steps", 0),
                    required("stable_steps", Option.Type.STEPS), required("decay_steps", Option.Type.STEPS), number("min_lr", 0.0)),
            plateau());

    private static Row<Base, Schedule> plateau() {
        PlateauOptions d = PlateauOptions.defaults();
        return warm("plateau", (b, o) -> {
            Schedule s = Schedules.reduceOnPlateau(b.lr(), new PlateauOptions(PlateauOptions.Mode.valueOf(o.text("mode").toUpperCase()),
                    o.number("factor"), o.whole("patience"), o.number("threshold"),
                    PlateauOptions.ThresholdMode.valueOf(o.text("threshold_mode").toUpperCase()), o.whole("cooldown"), o.number("min_lr"),
                    o.number("eps")));
            // A warmup in front (added by warm) hands the rule the validations after the warmup (Schedule.observe).
            return s;
        }, text("monitor", "val_loss"), choice("mode", d.mode().name().toLowerCase(), "min", "max"),
                choice("threshold_mode", d.thresholdMode().name().toLowerCase(), "rel", "abs"), number("factor", d.factor()),
                whole("patience", d.patience()), number("threshold", d.threshold()), whole("cooldown", d.cooldown()), number("min_lr", d.minLr()),
                number("eps", d.eps()));
    }

    /** A row whose options end with {@code warmup_steps} and {@code warmup_start_factor}: a linear warmup in front when given. */
    private static Row<Base, Schedule> warm(String name, Row.Factory<Base, Schedule> factory, Option... options) {
        List<Option> all = new ArrayList<>(List.of(options));
        all.add(steps("warmup_steps", 0));
        all.add(number("warmup_start_factor", 1.0 / 3));
        return new Row<>(name, all, (b, o) -> {
            Schedule s = factory.make(b, o);
            return o.given("warmup_steps") ? s.withWarmup(o.steps("warmup_steps"), o.number("warmup_start_factor")) : s;
        });
    }

    private static List<Long> milestones(double[] values) {
        List<Long> out = new ArrayList<>();
        for (double v : values) out.add((long) v);
        return out;
    }
}
