package dev.descent.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.descent.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rows of {@link LossRegistry} hold torch.nn's defaults and make the losses of {@link Losses}. */
class LossRegistryTest {
    @Test
    void defaultsAreTorchNnSignatures() {
        // CrossEntropyLoss(ignore_index=-100, label_smoothing=0.0), MultiMarginLoss(p=1, margin=1.0), SmoothL1Loss(beta=1.0),
        // HuberLoss(delta=1.0), BCEWithLogitsLoss(pos_weight=None); kl_div's batchmean is our documented choice.
        Map<String, String> torch = Map.of("cross_entropy", "ignore_index=-100 label_smoothing=0.0", "nll", "ignore_index=-100",
                "multi_margin", "p=1 margin=1.0", "bce", "", "bce_with_logits", "pos_weight=null", "kl_div", "reduction=batchmean",
                "mse", "", "l1", "", "smooth_l1", "beta=1.0", "huber", "delta=1.0");
        for (var row : LossRegistry.REGISTRY.rows()) {
            assertEquals(torch.get(row.name()), String.join(" ", row.options().stream().map(o -> o.name() + "=" + o.fallback()).toList()), row.name());
        }
        assertEquals(torch.size(), LossRegistry.REGISTRY.rows().size());
    }

    /** Losses' short forms are the rows with their defaults (klDiv() aside: PyTorch's 'mean', the row's batchmean). */
    @Test
    void theShortFormsAreTheRowsWithTheirDefaults() {
        Map<String, Loss> shortForms = Map.of("cross_entropy", Losses.crossEntropy(), "nll", Losses.nll(), "multi_margin", Losses.multiMargin(),
                "smooth_l1", Losses.smoothL1(), "huber", Losses.huber(), "bce", Losses.bce(), "bce_with_logits", Losses.bceWithLogits(),
                "mse", Losses.mse(), "l1", Losses.l1());
        for (var e : shortForms.entrySet()) assertEquals(LossRegistry.REGISTRY.make(e.getKey(), null).loss(), e.getValue(), e.getKey());
        assertEquals(Losses.DEFAULT_IGNORE_INDEX, LossRegistry.REGISTRY.require("cross_entropy").option("ignore_index").fallback());
    }

    @Test
    void aRowWithItsDefaultsComputesAsTheFactory() {
        Tensor logits = Tensor.of(new float[] {2f, 0f, -1f, 0.5f, 0.3f, 0.1f}, 2, 3), target = Tensor.vector(0f, 2f);
        var made = LossRegistry.REGISTRY.make("cross_entropy", null);
        assertEquals(LossRegistry.Targets.CLASS_INDICES, made.targets());
        assertEquals(Losses.crossEntropy().apply(logits, target).item(), made.loss().apply(logits, target).item(), 0.0);
        Tensor y = Tensor.of(new float[] {0.5f, 3f}, 2, 1), x = Tensor.of(new float[] {0f, 0f}, 2, 1);
        assertEquals(Losses.huber().apply(x, y).item(), LossRegistry.REGISTRY.make("huber", null).loss().apply(x, y).item(), 0.0);
    }
}
