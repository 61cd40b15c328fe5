package dev.descent.loss;

import static dev.descent.registry.Option.choice;
import static dev.descent.registry.Option.computed;
import static dev.descent.registry.Option.number;
import static dev.descent.registry.Option.whole;

import dev.descent.registry.Option;
import dev.descent.registry.Registry;
import dev.descent.registry.Row;
import dev.descent.tensor.Tensor;

/**
 * The losses by name, with PyTorch's option names and defaults ({@code torch.nn}'s loss classes):
 * the table the command line's {@code loss:} entry reads. A row makes the loss together with the
 * {@link Targets} it takes, which decides how a run encodes its targets.
 */
public final class LossRegistry {
    private LossRegistry() {}

    /** What the targets of a loss are. */
    public enum Targets {
        /** [N] class indices against [N, C] outputs (cross_entropy, nll, multi_margin). */
        CLASS_INDICES,
        /** [N, 1] zeros and ones against one output (bce, bce_with_logits). */
        BINARY,
        /** [N, C] probabilities against log-probabilities (kl_div). */
        DISTRIBUTION,
        /** [N, 1] values (mse, l1, smooth_l1, huber). */
        VALUES
    }

    /** A loss and the targets it takes. */
    public record Made(Loss loss, Targets targets) {}

    /** PyTorch's default {@code ignore_index}, -100: no class index is negative (Losses.DEFAULT_IGNORE_INDEX reads it from the rows). */
    private static final int IGNORE_NOTHING = -100;

    public static final Registry<Void, Made> REGISTRY = Registry.of("loss",
            new Row<>("cross_entropy", (v, o) -> new Made(Losses.crossEntropy(null, o.whole("ignore_index"), o.number("label_smoothing")),
                    Targets.CLASS_INDICES), whole("ignore_index", IGNORE_NOTHING), number("label_smoothing", 0.0)),
            new Row<>("nll", (v, o) -> new Made(Losses.nll(null, o.whole("ignore_index")), Targets.CLASS_INDICES),
                    whole("ignore_index", IGNORE_NOTHING)),
            new Row<>("multi_margin", (v, o) -> new Made(Losses.multiMargin(o.whole("p"), o.number("margin"), null), Targets.CLASS_INDICES),
                    whole("p", 1), number("margin", 1.0)),
            new Row<>("bce", (v, o) -> new Made(Losses.bce(), Targets.BINARY)),
            new Row<>("bce_with_logits", (v, o) -> new Made(Losses.bceWithLogits(o.given("pos_weight")
                    ? Tensor.vector((float) o.number("pos_weight")) : null), Targets.BINARY),
                    computed("pos_weight", Option.Type.NUMBER, "none (every example weighs 1)")),
            // batchmean is the mathematical KL per example; PyTorch's default 'mean' divides by classes too.
            new Row<>("kl_div", (v, o) -> new Made(Losses.klDiv(false, switch (o.text("reduction")) {
                        case "mean" -> Reduction.MEAN;
                        case "sum" -> Reduction.SUM;
                        default -> Reduction.BATCH_MEAN;
                    }), Targets.DISTRIBUTION),
                    choice("reduction", "batchmean", "batchmean", "mean", "sum")),
            new Row<>("mse", (v, o) -> new Made(Losses.mse(), Targets.VALUES)),
            new Row<>("l1", (v, o) -> new Made(Losses.l1(), Targets.VALUES)),
            new Row<>("smooth_l1", (v, o) -> new Made(Losses.smoothL1(o.number("beta")), Targets.VALUES), number("beta", 1.0)),
            new Row<>("huber", (v, o) -> new Made(Losses.huber(o.number("delta")), Targets.VALUES), number("delta", 1.0)));
}
