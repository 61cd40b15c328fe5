package dev.descent.cli.build;

import com.fasterxml.jackson.databind.JsonNode;
import dev.descent.cli.config.ConfigException;
import dev.descent.cli.config.Section;
import dev.descent.cli.config.Suggest;
import dev.descent.optim.OptimizerSpec;
import dev.descent.optim.Optimizers;
import dev.descent.schedule.Schedule;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds the {@link OptimizerSpec} of a config's {@code optimizer:} mapping with
 * {@link Optimizers}, options named and defaulted as in PyTorch's {@code torch.optim}
 * ({@code lr, momentum, dampening, nesterov, betas, eps, weight_decay, amsgrad, alpha, centered,
 * rho, lr_decay, initial_accumulator_value, momentum_decay, maximize}); each optimizer accepts
 * only the options PyTorch's accepts, so a misplaced one is reported with the valid ones.
 */
public final class OptimizerFactory {
    public static final List<String> NAMES = List.of("sgd", "adagrad", "adadelta", "rmsprop", "adam", "adamw", "adamax", "nadam", "radam", "lion");

    /** PyTorch's default learning rates (sgd has none in older PyTorch; 1e-3 as in PyTorch 2). */
    private static final Map<String, Double> DEFAULT_LR = Map.of("sgd", 1e-3, "adagrad", 1e-2, "adadelta", 1.0, "rmsprop", 1e-2,
            "adam", 1e-3, "adamw", 1e-3, "adamax", 2e-3, "nadam", 2e-3, "radam", 1e-3, "lion", 1e-4);

    private OptimizerFactory() {}

    /** The optimizer's name and learning rate, read before the schedule is built around the rate. */
    public record Head(String name, double lr, Section section) {}

    /** Reads the name and the learning rate. */
    public static Head head(JsonNode node) {
        if (node == null || node.isNull()) throw new ConfigException("optimizer: required, e.g. {name: adam, lr: 0.001}");
        Section s = node.isTextual() ? named(node.asText()) : new Section("optimizer", node);
        String name = s.requiredString("name");
        if (!NAMES.contains(name)) {
            throw new ConfigException("optimizer.name: unknown optimizer '" + name + "'" + Suggest.hint(name, NAMES) + " (choose from "
                    + String.join(", ", NAMES) + ")");
        }
        double lr = s.number("lr", DEFAULT_LR.get(name));
        if (!(lr >= 0 && Double.isFinite(lr))) throw new ConfigException("optimizer.lr: must be a finite number >= 0, got " + lr);
        return new Head(name, lr, s);
    }

    /** The spec with the learning rate given by {@code lr} (a constant or a schedule). */
    public static OptimizerSpec build(Head head, Schedule lr) {
        Section s = head.section();
        try {
            Function<double[], double[]> betas2 = d -> betas(s, d);
            OptimizerSpec spec = switch (head.name()) {
                case "sgd" -> Optimizers.sgd(lr, s.number("momentum", 0), s.number("dampening", 0), s.bool("nesterov", false), s.number("weight_decay", 0));
                case "adagrad" -> Optimizers.adagrad(lr, s.number("lr_decay", 0), s.number("initial_accumulator_value", 0), s.number("eps", 1e-10),
                        s.number("weight_decay", 0));
                case "adadelta" -> Optimizers.adadelta(lr, s.number("rho", 0.9), s.number("eps", 1e-6), s.number("weight_decay", 0));
                case "rmsprop" -> Optimizers.rmsprop(lr, s.number("alpha", 0.99), s.number("eps", 1e-8), s.number("momentum", 0),
                        s.bool("centered", false), s.number("weight_decay", 0));
                case "adam", "adamw" -> {
                    double[] b = betas2.apply(new double[] {0.9, 0.999});
                    double eps = s.number("eps", 1e-8);
                    boolean ams = s.bool("amsgrad", false);
                    yield head.name().equals("adam") ? Optimizers.adam(lr, b[0], b[1], eps, s.number("weight_decay", 0), ams)
                            : Optimizers.adamW(lr, b[0], b[1], eps, s.number("weight_decay", 0.01), ams);
                }
                case "adamax" -> {
                    double[] b = betas2.apply(new double[] {0.9, 0.999});
                    yield Optimizers.adamax(lr, b[0], b[1], s.number("eps", 1e-8), s.number("weight_decay", 0));
                }
                case "nadam" -> {
                    double[] b = betas2.apply(new double[] {0.9, 0.999});
                    yield Optimizers.nadam(lr, b[0], b[1], s.number("eps", 1e-8), s.number("weight_decay", 0), s.number("momentum_decay", 4e-3));
                }
                case "radam" -> {
                    double[] b = betas2.apply(new double[] {0.9, 0.999});
                    yield Optimizers.radam(lr, b[0], b[1], s.number("eps", 1e-8), s.number("weight_decay", 0));
                }
                case "lion" -> {
                    double[] b = betas2.apply(new double[] {0.9, 0.99});
                    yield Optimizers.lion(lr, b[0], b[1], s.number("weight_decay", 0));
                }
                default -> throw new IllegalStateException("optimizer table and switch disagree on " + head.name());
            };
            if (s.bool("maximize", false)) spec = spec.maximizing();
            s.finish();
            return spec;
        } catch (IllegalArgumentException e) {
            throw new ConfigException("optimizer (" + head.name() + "): " + e.getMessage());
        }
    }

    private static double[] betas(Section s, double[] fallback) {
        double[] b = s.numbers("betas");
        if (b == null) return fallback;
        if (b.length != 2) throw new ConfigException(s.name("betas") + ": expected two numbers [beta1, beta2], got " + b.length);
        return b;
    }

    private static Section named(String name) {
        var node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        node.put("name", name);
        return new Section("optimizer", node);
    }
}
