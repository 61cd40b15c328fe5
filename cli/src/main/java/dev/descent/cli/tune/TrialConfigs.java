package dev.descent.cli.tune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.descent.cli.config.ConfigException;
import dev.descent.cli.config.ConfigFile;
import java.util.Map;

/**
 * A trial's configuration: the base configuration with the trial's parameters set at their dotted
 * paths (as {@code --set} would), and the trial's own seed (with the data split pinned to the
 * base seed). Missing mappings on the way are
 * created, so a path may add a key the base left at its default; whether the key exists at all is
 * for the run's own validation to say.
 */
final class TrialConfigs {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TrialConfigs() {}

    /**
     * @param seed the seed to write, or null to keep the base's
     */
    static ConfigFile apply(ConfigFile base, Map<String, Object> params, Long seed) {
        ObjectNode root = base.root().deepCopy();
        params.forEach((path, value) -> set(root, path, node(value)));
        if (seed != null) {
            // The trial's seed would also move validation_split's rows; pinning the split to the
            // base seed keeps every trial's value measured on the same rows, hence comparable.
            if (root.get("data") instanceof ObjectNode data && !data.has("split_seed")) data.put("split_seed", baseSeed(base));
            root.put("seed", seed);
        }
        return new ConfigFile(base.source(), root);
    }

    /** The base configuration's seed (0 when absent), from which trial seeds are counted. */
    static long baseSeed(ConfigFile base) {
        JsonNode s = base.root().get("seed");
        return s != null && s.canConvertToLong() ? s.asLong() : 0;
    }

    private static void set(ObjectNode root, String path, JsonNode value) {
        String[] keys = path.split("\\.");
        ObjectNode at = root;
        for (int i = 0; i < keys.length - 1; i++) {
            JsonNode next = at.get(keys[i]);
            if (next == null || next.isNull()) {
                next = at.putObject(keys[i]);
            } else if (!next.isObject()) {
                throw new ConfigException("search.params." + path + ": '" + String.join(".", java.util.Arrays.copyOf(keys, i + 1))
                        + "' is " + (next.isArray() ? "a list" : next.toString()) + " in the config, not a mapping of keys");
            }
            at = (ObjectNode) next;
        }
        at.set(keys[keys.length - 1], value);
    }

    private static JsonNode node(Object v) {
        return switch (v) {
            case Integer i -> NODES.numberNode(i);
            case Long l -> NODES.numberNode(l);
            case Double d -> NODES.numberNode(d);
            case Number n -> NODES.numberNode(n.doubleValue());
            default -> NODES.textNode(v.toString());
        };
    }
}
