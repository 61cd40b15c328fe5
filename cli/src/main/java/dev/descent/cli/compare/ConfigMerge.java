package dev.descent.cli.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Merges a variant's keys over a base configuration: mappings merge key by key, at any depth;
 * anything else (a number, a name, a list such as {@code model}) replaces the base value whole.
 * Replacing lists keeps a variant's {@code model} list meaning exactly what it says.
 */
public final class ConfigMerge {
    private ConfigMerge() {}

    /** A new tree: {@code base} with {@code over} merged in; neither argument is changed. */
    public static ObjectNode merge(ObjectNode base, ObjectNode over) {
        ObjectNode out = base.deepCopy();
        mergeInto(out, over);
        return out;
    }

    private static void mergeInto(ObjectNode target, ObjectNode over) {
        for (Map.Entry<String, JsonNode> e : over.properties()) {
            JsonNode mine = target.get(e.getKey());
            if (mine instanceof ObjectNode m && e.getValue() instanceof ObjectNode o) mergeInto(m, o);
            else target.set(e.getKey(), e.getValue().deepCopy());
        }
    }
}
