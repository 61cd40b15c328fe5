package dev.descent.train;

import dev.descent.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link Callback} remembers across steps, as a value a {@link Checkpoint} saves and a
 * resumed run gives back ({@link Callback#restore}): numbers and words as exact strings (a double
 * written by {@link Double#toString} reads back to the same bits), and tensors (best weights,
 * say). Names must not contain '/'. The record copies its tensors, so later training does not
 * change a state once taken.
 *
 * @param values  scalars by name
 * @param tensors tensors by name
 */
public record CallbackState(Map<String, String> values, Map<String, Tensor> tensors) {
    /** The state of a callback that remembers nothing. */
    public static final CallbackState EMPTY = new CallbackState(Map.of(), Map.of());

    public CallbackState {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(tensors, "tensors");
        Map<String, Tensor> copies = new LinkedHashMap<>();
        tensors.forEach((k, v) -> copies.put(checkName(k), v.copy()));
        values.keySet().forEach(CallbackState::checkName);
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        tensors = Collections.unmodifiableMap(copies);
    }

    /** A state of scalars only. */
    public static CallbackState of(Map<String, String> values) {
        return new CallbackState(values, Map.of());
    }

    public boolean isEmpty() {
        return values.isEmpty() && tensors.isEmpty();
    }

    /** A saved scalar; a missing one is an error naming the callback. */
    public String value(String callback, String name) {
        String v = values.get(name);
        if (v == null) throw new IllegalArgumentException("checkpoint: the state of callback '" + callback + "' has no '" + name + "' (it has " + values.keySet() + ")");
        return v;
    }

    /** A saved double (see {@link #value}). */
    public double number(String callback, String name) {
        try {
            return Double.parseDouble(value(callback, name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("checkpoint: callback '" + callback + "' state '" + name + "' is not a number: '" + values.get(name) + "'");
        }
    }

    private static String checkName(String name) {
        if (name == null || name.isEmpty() || name.contains("/")) throw new IllegalArgumentException("callback state name '" + name + "': non-empty, no '/'");
        return name;
    }
}
