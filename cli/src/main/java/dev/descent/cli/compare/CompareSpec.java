package dev.descent.cli.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.descent.cli.config.ConfigException;
import dev.descent.cli.config.ConfigFile;
import dev.descent.cli.config.Section;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code compare:} section of a configuration, and the configurations it makes:
 * <pre>
 * compare:
 *   target_loss: 0.3        # optional
 *   variants:
 *     - {name: gd, optimizer: {name: sgd, lr: 0.5}, train: {batch_size: full}}
 *     - {name: adam, optimizer: {name: adam, lr: 0.003}}
 * </pre>
 * Each variant's keys other than {@code name} are merged over the rest of the file by
 * {@link ConfigMerge}.
 *
 * @param targetLoss the loss to reach, NaN when not given
 * @param variants   the variants in file order
 */
public record CompareSpec(double targetLoss, List<Variant> variants) {
    /**
     * One variant.
     *
     * @param name   its name (a directory name under variants/)
     * @param index  its position in the list, for messages
     * @param config the base configuration with its keys merged in, without {@code compare:}
     */
    public record Variant(String name, int index, ConfigFile config) {
        /** "compare.variants[1] (adam)", the prefix of this variant's error messages. */
        public String label() {
            return "compare.variants[" + index + "] (" + name + ")";
        }
    }

    public static final String KEY = "compare";

    /** Reads the section from a loaded configuration. */
    public static CompareSpec of(ConfigFile file) {
        Section top = file.top();
        if (!top.has(KEY)) throw new ConfigException(file.source() + ": no 'compare:' section; add compare: {variants: [{name: ..., optimizer: ...}, ...]}");
        Section compare = top.section(KEY);
        double target = compare.has("target_loss") ? compare.number("target_loss", 0) : Double.NaN;
        JsonNode list = compare.raw("variants");
        compare.finish();
        if (list == null || !list.isArray() || list.isEmpty()) throw new ConfigException("compare.variants: expected a list of variants, each {name: ..., keys to change}");
        ObjectNode base = base(file).root();
        List<Variant> variants = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode v = list.get(i);
            String where = "compare.variants[" + i + "]";
            if (!(v instanceof ObjectNode over)) throw new ConfigException(where + ": expected a mapping {name: ..., keys to change}");
            JsonNode nameNode = over.get("name");
            if (nameNode == null || !nameNode.isValueNode()) throw new ConfigException(where + ".name: required (a short name such as adam)");
            String name = nameNode.asText();
            // The name becomes a directory: keep it portable.
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.+-]*")) throw new ConfigException(where + ".name: '" + name + "' must be letters, digits, '_', '-', '.', '+'");
            if (!names.add(name)) throw new ConfigException(where + ".name: '" + name + "' is used by an earlier variant");
            ObjectNode keys = over.deepCopy();
            keys.remove("name");
            if (keys.has(KEY)) throw new ConfigException(where + ".compare: a variant cannot hold a compare section");
            variants.add(new Variant(name, i, new ConfigFile(file.source(), ConfigMerge.merge(base, keys))));
        }
        return new CompareSpec(target, List.copyOf(variants));
    }

    /** The configuration without its {@code compare:} section: where every variant starts from. */
    public static ConfigFile base(ConfigFile file) {
        ObjectNode base = file.root().deepCopy();
        base.remove(KEY);
        return new ConfigFile(file.source(), base);
    }
}
