package dev.descent.cli.build;

import com.fasterxml.jackson.databind.JsonNode;
import dev.descent.cli.config.ConfigException;
import dev.descent.cli.config.Section;
import dev.descent.cli.config.Suggest;
import dev.descent.loss.Loss;
import dev.descent.loss.Losses;
import dev.descent.loss.Reduction;
import dev.descent.tensor.Tensor;
import java.util.List;

/**
 * Builds the loss of a config's {@code loss:} entry, a name ({@code cross_entropy}) or a mapping
 * with the name and PyTorch's options ({@code {name: cross_entropy, label_smoothing: 0.1}}), and
 * infers the {@link Task} from it: cross_entropy, nll, multi_margin, bce, bce_with_logits and
 * kl_div make a classification run, the others a regression run.
 */
public final class LossFactory {
    public static final List<String> NAMES = List.of("cross_entropy", "nll", "multi_margin", "bce", "bce_with_logits", "kl_div",
            "mse", "l1", "smooth_l1", "huber");

    private LossFactory() {}

    /**
     * The loss with its name and task.
     *
     * @param name the loss name as configured
     */
    public record Built(String name, Loss loss, Task task) {
        /**
         * Per-class probabilities from model outputs, or null when the outputs are not
         * probabilities in any sense (multi_margin scores, regression values). cross_entropy's
         * outputs are logits (softmax), nll's and kl_div's log-probabilities (exp),
         * bce_with_logits' a logit (sigmoid), bce's already a probability.
         */
        public Tensor probabilities(Tensor outputs) {
            return switch (name) {
                case "cross_entropy" -> outputs.softmax(1);
                case "nll", "kl_div" -> outputs.exp();
                case "bce_with_logits" -> outputs.sigmoid();
                case "bce" -> outputs;
                default -> null;
            };
        }
    }

    public static Built build(JsonNode node) {
        if (node == null || node.isNull()) throw new ConfigException("loss: required, e.g. 'loss: cross_entropy' (choose from " + String.join(", ", NAMES) + ")");
        Section s;
        String name;
        if (node.isTextual()) {
            name = node.asText();
            s = new Section("loss", null);
        } else {
            s = new Section("loss", node);
            name = s.requiredString("name");
        }
        if (!NAMES.contains(name)) {
            throw new ConfigException("loss: unknown loss '" + name + "'" + Suggest.hint(name, NAMES) + " (choose from " + String.join(", ", NAMES) + ")");
        }
        try {
            Built built = switch (name) {
                case "cross_entropy" -> new Built(name, Losses.crossEntropy(null, s.integer("ignore_index", Losses.DEFAULT_IGNORE_INDEX),
                        s.number("label_smoothing", 0.0)), Task.CLASSES);
                case "nll" -> new Built(name, Losses.nll(null, s.integer("ignore_index", Losses.DEFAULT_IGNORE_INDEX)), Task.CLASSES);
                case "multi_margin" -> new Built(name, Losses.multiMargin(s.integer("p", 1), s.number("margin", 1.0), null), Task.CLASSES);
                case "bce" -> new Built(name, Losses.bce(), Task.BINARY);
                case "bce_with_logits" -> {
                    Tensor pos = s.has("pos_weight") ? Tensor.vector((float) s.number("pos_weight", 1)) : null;
                    yield new Built(name, Losses.bceWithLogits(pos), Task.BINARY);
                }
                case "kl_div" -> {
                    // batchmean is the mathematical KL per example; PyTorch's default 'mean' divides by classes too.
                    String r = s.choice("reduction", "batchmean", List.of("batchmean", "mean", "sum"));
                    Reduction red = switch (r) {
                        case "mean" -> Reduction.MEAN;
                        case "sum" -> Reduction.SUM;
                        default -> Reduction.BATCH_MEAN;
                    };
                    yield new Built(name, Losses.klDiv(false, red), Task.DISTRIBUTION);
                }
                case "mse" -> new Built(name, Losses.mse(), Task.REGRESSION);
                case "l1" -> new Built(name, Losses.l1(), Task.REGRESSION);
                case "smooth_l1" -> new Built(name, Losses.smoothL1(s.number("beta", 1.0)), Task.REGRESSION);
                case "huber" -> new Built(name, Losses.huber(s.number("delta", 1.0)), Task.REGRESSION);
                default -> throw new IllegalStateException("loss table and switch disagree on " + name);
            };
            s.finish();
            return built;
        } catch (IllegalArgumentException e) {
            throw new ConfigException("loss: " + e.getMessage());
        }
    }
}
