package dev.descent.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Metrics#byName} reads {@link MetricRegistry}: the same names, in the same (alphabetical) order, as before the registry. */
class MetricRegistryTest {
    @Test
    void namesAndLookups() {
        assertEquals(List.of("accuracy", "f1_macro", "f1_micro", "f1_weighted", "mae", "mse", "perplexity", "precision_macro", "precision_micro",
                "precision_weighted", "r2", "recall_macro", "recall_micro", "recall_weighted", "rmse", "roc_auc", "top3_accuracy",
                "top5_accuracy"), Metrics.names());
        for (String name : Metrics.names()) assertEquals(name, Metrics.byName(name).name());
        assertEquals("top7_accuracy", Metrics.byName("top7_accuracy").name());
        assertNull(Metrics.byName("acuracy"));
        assertTrue(MetricRegistry.REGRESSION.names().containsAll(List.of("mse", "mae", "rmse", "r2")));
        assertNull(MetricRegistry.CLASSIFICATION.row("mse"));
    }
}
