package dev.descent.study;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.descent.search.Condition;
import dev.descent.search.Dimension;
import dev.descent.search.Parameter;
import dev.descent.search.SearchSpace;
import java.util.ArrayList;
import java.util.List;

/**
 * A search space as the canonical JSON stored with its study: the same space always gives the
 * same text (parameters in declaration order, keys in a fixed order, doubles as Java prints them,
 * which reads back to the same double), so an unchanged space is recognized by string equality.
 * For example:
 * <pre>
 * {"parameters":[{"name":"lr","kind":"log_uniform","low":1.0E-4,"high":0.1},
 *   {"name":"opt","kind":"categorical","choices":["sgd","adam"]},
 *   {"name":"mom","kind":"uniform","low":0.0,"high":0.99,"when":{"parent":"opt","values":["sgd"]}},
 *   {"name":"bs","kind":"int","low":16,"high":128,"step":16,"log":false}]}
 * </pre>
 * Choices and condition values are stored as the database stores parameter values: whole
 * numbers as longs, other numbers as doubles, strings and booleans as themselves; so they read
 * back as {@link Long}, {@link Double}, {@link String} or {@link Boolean}.
 */
final class SearchSpaceJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SearchSpaceJson() {}

    static String write(SearchSpace space) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode params = root.putArray("parameters");
        for (Parameter p : space.parameters()) params.add(parameter(p));
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a search space as JSON", e); // a tree of plain nodes always serializes
        }
    }

    private static ObjectNode parameter(Parameter p) {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", p.name());
        switch (p.dimension()) {
            case Dimension.Uniform u -> o.put("kind", "uniform").put("low", u.low()).put("high", u.high());
            case Dimension.LogUniform l -> o.put("kind", "log_uniform").put("low", l.low()).put("high", l.high());
            case Dimension.IntRange r -> o.put("kind", "int").put("low", r.low()).put("high", r.high()).put("step", r.step()).put("log", r.log());
            case Dimension.Categorical c -> values(o.put("kind", "categorical").putArray("choices"), p.name(), c.choices());
        }
        if (p.conditional()) {
            ObjectNode when = o.putObject("when").put("parent", p.condition().parent());
            values(when.putArray("values"), p.name(), p.condition().values());
        }
        return o;
    }

    private static void values(ArrayNode out, String name, List<Object> values) {
        for (Object v : values) {
            switch (v) {
                case String s -> out.add(s);
                case Boolean b -> out.add(b);
                case Byte b -> out.add(b.longValue());
                case Short s -> out.add(s.longValue());
                case Integer i -> out.add(i.longValue());
                case Long l -> out.add(l);
                case Float f -> out.add(f.doubleValue());
                case Double d -> out.add(d);
                default -> throw new IllegalArgumentException("parameter '" + name + "': a durable study stores choices that are strings, numbers or"
                        + " booleans, not " + v.getClass().getSimpleName() + " " + v);
            }
        }
    }

    /**
     * The parameters of a stored space, in their declared order; not a {@link SearchSpace}, whose
     * validation is the writer's business and must not make an old definition unreadable.
     *
     * @throws IllegalArgumentException when the text is not a definition this class wrote
     */
    static List<Parameter> read(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        JsonNode params = root == null ? null : root.get("parameters");
        if (params == null || !params.isArray()) throw new IllegalArgumentException("no \"parameters\" list");
        List<Parameter> out = new ArrayList<>();
        for (JsonNode p : params) {
            String name = p.path("name").asText();
            Condition when = null;
            if (p.has("when")) when = new Condition(p.get("when").path("parent").asText(), values(p.get("when").get("values")));
            out.add(new Parameter(name, dimension(p), when));
        }
        return out;
    }

    private static Dimension dimension(JsonNode p) {
        String kind = p.path("kind").asText();
        return switch (kind) {
            case "uniform" -> new Dimension.Uniform(p.path("low").asDouble(), p.path("high").asDouble());
            case "log_uniform" -> new Dimension.LogUniform(p.path("low").asDouble(), p.path("high").asDouble());
            case "int" -> new Dimension.IntRange(p.path("low").asInt(), p.path("high").asInt(), p.path("step").asInt(), p.path("log").asBoolean());
            case "categorical" -> new Dimension.Categorical(values(p.get("choices")));
            default -> throw new IllegalArgumentException("parameter '" + p.path("name").asText() + "' has unknown kind '" + kind + "'");
        };
    }

    private static List<Object> values(JsonNode list) {
        if (list == null || !list.isArray()) throw new IllegalArgumentException("expected a list of values, got " + list);
        List<Object> out = new ArrayList<>();
        for (JsonNode v : list) {
            if (v.isIntegralNumber()) out.add(v.asLong());
            else if (v.isNumber()) out.add(v.asDouble());
            else if (v.isBoolean()) out.add(v.asBoolean());
            else if (v.isTextual()) out.add(v.asText());
            else throw new IllegalArgumentException("unexpected value " + v);
        }
        return out;
    }
}
