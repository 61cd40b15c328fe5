package dev.descent.optim;

import static dev.descent.registry.Option.bool;
import static dev.descent.registry.Option.number;
import static dev.descent.registry.Option.pair;

import dev.descent.registry.Option;
import dev.descent.registry.Options;
import dev.descent.registry.Registry;
import dev.descent.registry.Row;
import dev.descent.schedule.Schedule;
import java.util.ArrayList;
import java.util.List;

/**
 * The optimizers by name, with PyTorch's option names, defaults and types ({@code torch.optim}):
 * the one table that {@link Optimizers}' short factories and the command line's
 * {@code optimizer:} mapping both read. Each row accepts exactly the options PyTorch's optimizer
 * accepts, in PyTorch's order; every row ends with {@code maximize}.
 *
 * <p>A row's {@code lr} option holds PyTorch's default rate (sgd has none in older PyTorch; 1e-3
 * as in PyTorch 2); the factory is handed the rate as a {@link Schedule} built around it.
 */
public final class OptimizerRegistry {
    private OptimizerRegistry() {}

    public static final Registry<Schedule, OptimizerSpec> REGISTRY = Registry.of("optimizer",
            row("sgd", (lr, o) -> Optimizers.sgd(lr, o.number("momentum"), o.number("dampening"), o.bool("nesterov"), o.number("weight_decay")),
                    number("lr", 1e-3), number("momentum", 0), number("dampening", 0), bool("nesterov", false), number("weight_decay", 0)),
            row("adagrad", (lr, o) -> Optimizers.adagrad(lr, o.number("lr_decay"), o.number("initial_accumulator_value"), o.number("eps"),
                            o.number("weight_decay")),
                    number("lr", 1e-2), number("lr_decay", 0), number("initial_accumulator_value", 0), number("eps", 1e-10), number("weight_decay", 0)),
            row("adadelta", (lr, o) -> Optimizers.adadelta(lr, o.number("rho"), o.number("eps"), o.number("weight_decay")),
                    number("lr", 1.0), number("rho", 0.9), number("eps", 1e-6), number("weight_decay", 0)),
            row("rmsprop", (lr, o) -> Optimizers.rmsprop(lr, o.number("alpha"), o.number("eps"), o.number("momentum"), o.bool("centered"),
                            o.number("weight_decay")),
                    number("lr", 1e-2), number("alpha", 0.99), number("eps", 1e-8), number("momentum", 0), bool("centered", false),
                    number("weight_decay", 0)),
            row("adam", (lr, o) -> Optimizers.adam(lr, beta1(o), beta2(o), o.number("eps"), o.number("weight_decay"), o.bool("amsgrad")),
                    number("lr", 1e-3), pair("betas", 0.9, 0.999), number("eps", 1e-8), bool("amsgrad", false), number("weight_decay", 0)),
            row("adamw", (lr, o) -> Optimizers.adamW(lr, beta1(o), beta2(o), o.number("eps"), o.number("weight_decay"), o.bool("amsgrad")),
                    number("lr", 1e-3), pair("betas", 0.9, 0.999), number("eps", 1e-8), bool("amsgrad", false), number("weight_decay", 0.01)),
            row("adamax", (lr, o) -> Optimizers.adamax(lr, beta1(o), beta2(o), o.number("eps"), o.number("weight_decay")),
                    number("lr", 2e-3), pair("betas", 0.9, 0.999), number("eps", 1e-8), number("weight_decay", 0)),
            row("nadam", (lr, o) -> Optimizers.nadam(lr, beta1(o), beta2(o), o.number("eps"), o.number("weight_decay"), o.number("momentum_decay")),
                    number("lr", 2e-3), pair("betas", 0.9, 0.999), number("eps", 1e-8), number("weight_decay", 0), number("momentum_decay", 4e-3)),
            row("radam", (lr, o) -> Optimizers.radam(lr, beta1(o), beta2(o), o.number("eps"), o.number("weight_decay")),
                    number("lr", 1e-3), pair("betas", 0.9, 0.999), number("eps", 1e-8), number("weight_decay", 0)),
            row("asgd", (lr, o) -> Optimizers.of(new Asgd(o.number("lambd"), o.number("alpha"), o.number("t0")), lr, o.number("weight_decay")),
                    number("lr", 1e-2), number("lambd", 1e-4), number("alpha", 0.75), number("t0", 1e6), number("weight_decay", 0)),
            // Lion is not in torch.optim; the paper's defaults (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms").
            row("lion", (lr, o) -> Optimizers.lion(lr, beta1(o), beta2(o), o.number("weight_decay")),
                    number("lr", 1e-4), pair("betas", 0.9, 0.99), number("weight_decay", 0)));

    /** A row whose options end with PyTorch's {@code maximize}, applied to what the factory makes. */
    private static Row<Schedule, OptimizerSpec> row(String name, Row.Factory<Schedule, OptimizerSpec> factory, Option... options) {
        List<Option> all = new ArrayList<>(List.of(options));
        all.add(bool("maximize", false));
        return new Row<>(name, all, (lr, o) -> {
            OptimizerSpec spec = factory.make(lr, o);
            return o.bool("maximize") ? spec.maximizing() : spec;
        });
    }

    private static double beta1(Options o) {
        return o.numbers("betas")[0];
    }

    private static double beta2(Options o) {
        return o.numbers("betas")[1];
    }
}
