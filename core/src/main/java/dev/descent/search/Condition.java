package dev.descent.search;

import java.util.List;
import java.util.Objects;

/**
 * Makes a parameter active only when a categorical parent took one of {@code values}, e.g.
 * {@code momentum} only when {@code optimizer == "sgd"}. An inactive parameter is absent from the
 * trial's {@link Params}, and samplers that learn from history (TPE) use only the trials where it
 * was active, because its value in other trials does not exist.
 */
public record Condition(String parent, List<Object> values) {
    public Condition {
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(values, "values");
        if (values.isEmpty()) throw new IllegalArgumentException("condition on '" + parent + "' needs at least one value");
        values = List.copyOf(values);
    }

    public static Condition when(String parent, Object... values) {
        return new Condition(parent, List.of(values));
    }
}
