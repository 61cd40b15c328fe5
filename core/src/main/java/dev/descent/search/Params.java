package dev.descent.search;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The hyperparameters of one trial: an immutable, ordered map from name to value with typed
 * getters. Values are {@link Double} (uniform and log-uniform), {@link Integer} (int ranges) or the
 * chosen categorical object (usually a {@link String}). Inactive conditional parameters are absent.
 */
public record Params(Map<String, Object> values) {
    public Params {
        Objects.requireNonNull(values, "values");
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "name"), Objects.requireNonNull(v, "value of '" + k + "'")));
        values = Collections.unmodifiableMap(copy);
    }

    public static Params empty() {
        return new Params(Map.of());
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public Object get(String name) {
        Object v = values.get(name);
        if (v == null) throw new IllegalArgumentException("no parameter '" + name + "' in this trial (inactive or unknown); present: " + values.keySet());
        return v;
    }

    public double getDouble(String name) {
        if (get(name) instanceof Number n) return n.doubleValue();
        throw wrongType(name, "a number");
    }

    public int getInt(String name) {
        Object v = get(name);
        if (v instanceof Integer i) return i;
        if (v instanceof Long l) return Math.toIntExact(l);
        throw wrongType(name, "an integer");
    }

    public long getLong(String name) {
        Object v = get(name);
        if (v instanceof Integer || v instanceof Long) return ((Number) v).longValue();
        throw wrongType(name, "an integer");
    }

    public String getString(String name) {
        if (get(name) instanceof String s) return s;
        throw wrongType(name, "a string");
    }

    public boolean getBoolean(String name) {
        if (get(name) instanceof Boolean b) return b;
        throw wrongType(name, "a boolean");
    }

    private IllegalArgumentException wrongType(String name, String expected) {
        Object v = values.get(name);
        return new IllegalArgumentException("parameter '" + name + "' is " + v.getClass().getSimpleName() + " " + v + ", not " + expected);
    }
}
