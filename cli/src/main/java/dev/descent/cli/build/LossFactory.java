package dev.descent.cli.build;

import com.fasterxml.jackson.databind.JsonNode;
import dev.descent.cli.config.ConfigException;
import dev.descent.cli.config.Section;
import dev.descent.cli.config.RowReader;
import dev.descent.loss.Loss;
import dev.descent.loss.LossRegistry;
import dev.descent.registry.Row;
import dev.descent.tensor.Tensor;
import java.util.List;
import java.util.Set;

/**
 * Builds the loss of a config's {@code loss:} entry, a name ({@code cross_entropy}) or a mapping
 * with the name and PyTorch's options ({@code {name: cross_entropy, label_smoothing: 0.1}}), from
 * the rows of {@link LossRegistry}, and infers the {@link Task} from the targets the loss takes:
 * cross_entropy, nll, multi_margin, bce, bce_with_logits and kl_div make a classification run, the
 * others a regression run.
 */
public final class LossFactory {
    public static final List<String> NAMES = LossRegistry.REGISTRY.names();

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
        Row<Void, LossRegistry.Made> row = RowReader.row(LossRegistry.REGISTRY, name, "loss");
        LossRegistry.Made made = RowReader.make(row, null, RowReader.read(s, row, "loss", Set.of()), s, "loss");
        s.finish();
        return new Built(name, made.loss(), Task.of(made.targets()));
    }
}
