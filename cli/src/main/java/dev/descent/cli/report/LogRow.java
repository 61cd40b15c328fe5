package dev.descent.cli.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One record of metrics.jsonl: its step, its epoch (counted from 1; -1 when absent), and every other numeric field by
 * name ({@code loss}, {@code lr}, {@code val_accuracy}, ...). A JSON {@code null} (the trainer's
 * spelling of a non-finite number) is kept as NaN so callers skip it with one finiteness test;
 * {@code true}/{@code false} (the {@code skipped} flag) are kept as 1 and 0.
 */
record LogRow(long step, int epoch, Map<String, Double> values) {
    LogRow {
        // Insertion order is kept: it is the trainer's field order, which the report shows.
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The named value, or NaN when the record has no such field or it was null. */
    double get(String name) {
        Double v = values.get(name);
        return v == null ? Double.NaN : v;
    }
}
