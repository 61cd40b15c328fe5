package dev.descent.cli.report;

import static org.junit.jupiter.api.Assertions.*;

import java.util.LinkedHashMap;
import org.junit.jupiter.api.Test;

class ImportancesTest {
    @Test
    void theSummaryShowsTheLargestAndCountsTheRest() {
        LinkedHashMap<String, Double> m = new LinkedHashMap<>();
        m.put("optimizer.lr", 0.7);
        m.put("optimizer.name", 0.296);
        m.put("train.batch_size", 0.004);
        m.put("model.dropout", 0.0);
        Importances imp = Importances.of(m);
        assertEquals("optimizer.lr 0.70, optimizer.name 0.30, train.batch_size <0.01, model.dropout 0.00", imp.summary(5));
        assertEquals("optimizer.lr 0.70, optimizer.name 0.30, (2 more)", imp.summary(2));
    }

    @Test
    void withoutImportancesTheSummaryIsTheReason() {
        Importances imp = Importances.unavailableBecause("parameter importance needs at least 2 completed trials with a finite value, got 1");
        assertFalse(imp.available());
        assertEquals("parameter importance needs at least 2 completed trials with a finite value, got 1", imp.summary(5));
        assertThrows(IllegalArgumentException.class, () -> new Importances(new LinkedHashMap<>(), null), "neither values nor a reason");
    }
}
