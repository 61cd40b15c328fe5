package dev.descent.cli.tune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.descent.cli.config.ConfigException;
import dev.descent.cli.config.Section;
import dev.descent.search.Condition;
import dev.descent.search.Dimension;
import dev.descent.search.Parameter;
import dev.descent.search.SearchSpace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code search.params}: each key is a dotted config path, each value one domain:
 * <pre>
 * optimizer.lr:       {log_uniform: [1e-4, 1e-1]}
 * optimizer.name:     {choices: [sgd, adam]}
 * optimizer.momentum: {uniform: [0.0, 0.99], when: {optimizer.name: sgd}}
 * train.batch_size:   {int: [16, 128], step: 16}      # log: true for a log-spaced range
 * </pre>
 * {@code grid: [values]} gives a double parameter its values for the grid sampler.
 *
 * <p>Whole numbers in choices become {@code Long} and booleans strings, because the SQLite study
 * stores numbers and strings only (whole numbers as longs), and the space stored with the study
 * is compared with this one on every run.
 */
final class SpaceReader {
    /** The space and, for the grid sampler, the values of parameters that declared a grid. */
    record Read(SearchSpace space, Map<String, List<Object>> grids) {}

    private static final List<String> KINDS = List.of("uniform", "log_uniform", "int", "choices");

    private SpaceReader() {}

    static Read read(JsonNode params) {
        if (!(params instanceof ObjectNode map) || map.isEmpty()) {
            throw new ConfigException("search.params: expected a mapping of config paths to domains, e.g. optimizer.lr: {log_uniform: [1e-4, 1e-1]}");
        }
        List<Parameter> list = new ArrayList<>();
        Map<String, List<Object>> grids = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            String name = e.getKey();
            Section s = new Section("search.params." + name, e.getValue());
            Dimension dim = dimension(s);
            Condition when = condition(s);
            if (s.has("grid")) grids.put(name, values(s, "grid"));
            s.finish();
            try {
                list.add(when == null ? Parameter.of(name, dim) : Parameter.of(name, dim, when));
            } catch (IllegalArgumentException ex) {
                throw new ConfigException(s.path() + ": " + ex.getMessage());
            }
        }
        try {
            return new Read(new SearchSpace(list), grids);
        } catch (IllegalArgumentException ex) {
            throw new ConfigException("search.params: " + ex.getMessage());
        }
    }

    private static Dimension dimension(Section s) {
        List<String> given = new ArrayList<>();
        for (String k : KINDS) if (s.has(k)) given.add(k);
        if (given.size() != 1) {
            throw new ConfigException(s.path() + ": give exactly one of " + String.join(", ", KINDS) + (given.isEmpty() ? "" : ", got " + given));
        }
        String kind = given.get(0);
        try {
            return switch (kind) {
                case "uniform" -> {
                    double[] b = bounds(s, kind);
                    yield Dimension.uniform(b[0], b[1]);
                }
                case "log_uniform" -> {
                    double[] b = bounds(s, kind);
                    yield Dimension.logUniform(b[0], b[1]);
                }
                case "int" -> {
                    double[] b = bounds(s, kind);
                    if (b[0] != Math.rint(b[0]) || b[1] != Math.rint(b[1])) throw new ConfigException(s.name(kind) + ": expected whole numbers");
                    yield new Dimension.IntRange((int) b[0], (int) b[1], s.integer("step", 1), s.bool("log", false));
                }
                default -> new Dimension.Categorical(values(s, "choices"));
            };
        } catch (IllegalArgumentException ex) {
            throw new ConfigException(s.name(kind) + ": " + ex.getMessage());
        }
    }

    private static double[] bounds(Section s, String kind) {
        double[] b = s.numbers(kind);
        if (b.length != 2) throw new ConfigException(s.name(kind) + ": expected [low, high], got " + b.length + " numbers");
        return b;
    }

    private static List<Object> values(Section s, String key) {
        JsonNode list = s.raw(key);
        if (list == null || !list.isArray() || list.isEmpty()) throw new ConfigException(s.name(key) + ": expected a non-empty list");
        List<Object> out = new ArrayList<>();
        for (JsonNode v : list) out.add(value(s.name(key), v));
        return out;
    }

    /** {@code when: {parent.path: value}} or {@code {parent.path: [values]}}. */
    private static Condition condition(Section s) {
        JsonNode when = s.raw("when");
        if (when == null || when.isNull()) return null;
        if (!(when instanceof ObjectNode m) || m.size() != 1) {
            throw new ConfigException(s.name("when") + ": expected one parent and its value(s), e.g. when: {optimizer.name: sgd}");
        }
        var entry = m.properties().iterator().next();
        List<Object> values = new ArrayList<>();
        if (entry.getValue().isArray()) for (JsonNode v : entry.getValue()) values.add(value(s.name("when"), v));
        else values.add(value(s.name("when"), entry.getValue()));
        try {
            return new Condition(entry.getKey(), values);
        } catch (IllegalArgumentException ex) {
            throw new ConfigException(s.name("when") + ": " + ex.getMessage());
        }
    }

    static Object value(String where, JsonNode v) {
        if (v.isIntegralNumber()) return v.asLong();
        if (v.isNumber()) return v.asDouble();
        if (v.isBoolean()) return String.valueOf(v.asBoolean());
        if (v.isTextual()) return v.asText();
        throw new ConfigException(where + ": expected numbers, names or true/false, got " + v);
    }
}
