package dev.descent.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One mapping of the configuration (the whole file, or {@code optimizer:}, ...), read key by key
 * with typed getters. It remembers which keys were read, so {@link #finish()} can reject a key
 * nobody asked for, naming it and the nearest valid key: a typo is an error, never silently
 * ignored.
 */
public final class Section {
    private final String path;
    private final ObjectNode node;
    private final Set<String> allowed = new LinkedHashSet<>();

    public Section(String path, JsonNode node) {
        if (node != null && !node.isObject()) throw new ConfigException(where(path) + "expected a mapping of keys, got " + describe(node));
        this.path = path;
        this.node = node == null ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode() : (ObjectNode) node;
    }

    /** A section holding only {@code name: value}, for a config that gives a bare name ({@code optimizer: adam}). */
    public static Section named(String path, String value) {
        var node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        node.put("name", value);
        return new Section(path, node);
    }

    private static String where(String path) {
        return path.isEmpty() ? "" : path + ": ";
    }

    static String describe(JsonNode n) {
        if (n.isTextual()) return "'" + n.asText() + "'";
        if (n.isArray()) return "a list";
        if (n.isObject()) return "a mapping";
        return n.toString();
    }

    public String path() {
        return path;
    }

    /** Full dotted name of a key of this section, for messages. */
    public String name(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public boolean has(String key) {
        allowed.add(key);
        return node.has(key) && !node.get(key).isNull();
    }

    public JsonNode raw(String key) {
        allowed.add(key);
        return node.get(key);
    }

    public Section section(String key) {
        allowed.add(key);
        return new Section(name(key), node.get(key));
    }

    public double number(String key, double fallback) {
        allowed.add(key);
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) return fallback;
        if (v.isNumber()) return v.asDouble();
        if (v.isTextual()) {
            try {
                return Double.parseDouble(v.asText().trim());
            } catch (NumberFormatException e) {
                // fall through to the error
            }
        }
        throw new ConfigException(name(key) + ": expected a number, got " + describe(v));
    }

    public double requiredNumber(String key) {
        if (!has(key)) throw new ConfigException(name(key) + ": required");
        return number(key, 0);
    }

    public int integer(String key, int fallback) {
        double v = number(key, fallback);
        if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) throw new ConfigException(name(key) + ": expected a whole number, got " + v);
        return (int) v;
    }

    public boolean bool(String key, boolean fallback) {
        allowed.add(key);
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) return fallback;
        if (v.isBoolean()) return v.asBoolean();
        if (v.isTextual() && (v.asText().equals("true") || v.asText().equals("false"))) return Boolean.parseBoolean(v.asText());
        throw new ConfigException(name(key) + ": expected true or false, got " + describe(v));
    }

    public String string(String key, String fallback) {
        allowed.add(key);
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) return fallback;
        if (v.isValueNode()) return v.asText();
        throw new ConfigException(name(key) + ": expected a single value, got " + describe(v));
    }

    public String requiredString(String key) {
        String s = string(key, null);
        if (s == null) throw new ConfigException(name(key) + ": required");
        return s;
    }

    /** A value that must be one of {@code choices}; an unknown one names the nearest. */
    public String choice(String key, String fallback, List<String> choices) {
        String v = string(key, fallback);
        if (v != null && !choices.contains(v)) {
            throw new ConfigException(name(key) + ": unknown value '" + v + "'" + Suggest.hint(v, choices) + " (choose from " + String.join(", ", choices) + ")");
        }
        return v;
    }

    public double[] numbers(String key) {
        allowed.add(key);
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) return null;
        if (!v.isArray()) throw new ConfigException(name(key) + ": expected a list of numbers, got " + describe(v));
        double[] out = new double[v.size()];
        for (int i = 0; i < out.length; i++) {
            if (!v.get(i).isNumber()) throw new ConfigException(name(key) + "[" + i + "]: expected a number, got " + describe(v.get(i)));
            out[i] = v.get(i).asDouble();
        }
        return out;
    }

    /** Rejects any key that was never read. Call after reading everything this section may hold. */
    public void finish() {
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) unknown.add(k);
        }
        if (!unknown.isEmpty()) {
            String k = unknown.get(0);
            throw new ConfigException(name(k) + ": unknown key" + Suggest.hint(k, allowed) + " (valid keys: " + String.join(", ", allowed) + ")");
        }
    }
}
