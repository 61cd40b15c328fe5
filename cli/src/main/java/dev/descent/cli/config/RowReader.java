package dev.descent.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.descent.registry.Option;
import dev.descent.registry.OptionException;
import dev.descent.registry.Registry;
import dev.descent.registry.Row;
import dev.descent.registry.Values;
import java.util.Set;

/**
 * The one reader of registry rows from a config: looks a name up in a {@link Registry} (an unknown
 * one names the nearest), reads a mapping's options in the row's order with the row's types and
 * defaults (a wrong type is a one-line error naming the key), and makes the piece (a value the
 * piece refuses is reported against its key when the factory names one).
 */
public final class RowReader {
    private RowReader() {}

    /**
     * The row of that name.
     *
     * @param where the config key holding the name ("optimizer.name"), for the message
     */
    public static <C, T> Row<C, T> row(Registry<C, T> registry, String name, String where) {
        Row<C, T> row = registry.row(name);
        if (row == null) {
            throw new ConfigException(where + ": unknown " + registry.kind() + " '" + name + "'" + Suggest.hint(name, registry.names())
                    + " (choose from " + String.join(", ", registry.names()) + ")");
        }
        return row;
    }

    /**
     * Reads every option of the row that the section gives, in the row's order; the others keep
     * the row's defaults. Every option becomes a valid key of the section, so a misplaced one is
     * reported with the row's options by {@link Section#finish()}.
     *
     * @param skip options read already (an optimizer's {@code lr})
     */
    public static Values read(Section s, Row<?, ?> row, String kind, Set<String> skip) {
        Values values = Values.of(row);
        for (Option o : row.options()) {
            if (skip.contains(o.name())) continue;
            Object v = read(s, o, kind + " " + row.name());
            if (v != null) values.with(o.name(), v);
        }
        return values;
    }

    /** The option's value as given, or null when absent and not required. */
    private static Object read(Section s, Option o, String owner) {
        String key = o.name();
        boolean given = s.has(key);
        if (!given) {
            if (!o.required()) return null;
            throw new ConfigException(s.name(key) + switch (o.type()) {
                case STEPS -> ": required for " + owner;
                case STEP_LIST -> ": required, a list of optimizer steps";
                default -> ": required";
            });
        }
        return switch (o.type()) {
            case NUMBER -> s.number(key, 0);
            case WHOLE -> s.integer(key, 0);
            case COUNT -> count(s, key);
            case SIZE -> {
                JsonNode v = s.raw(key);
                if (!v.isTextual()) yield count(s, key);
                if (!v.asText().equals(Option.VOCABULARY)) {
                    throw new ConfigException(s.name(key) + ": expected a number or '" + Option.VOCABULARY + "', got '" + v.asText() + "'");
                }
                yield Option.VOCABULARY;
            }
            case STEPS -> {
                double v = s.number(key, 0);
                if (v != Math.rint(v)) throw new ConfigException(s.name(key) + ": expected a whole number of optimizer steps, got " + v);
                yield (long) v;
            }
            case STEP_LIST -> {
                // Truncated, as the list is read for PyTorch's MultiStepLR.
                double[] steps = s.numbers(key);
                for (int i = 0; i < steps.length; i++) steps[i] = (long) steps[i];
                yield steps;
            }
            case PAIR -> {
                double[] pair = s.numbers(key);
                String stem = key.endsWith("s") ? key.substring(0, key.length() - 1) : key;
                if (pair.length != 2) {
                    throw new ConfigException(s.name(key) + ": expected two numbers [" + stem + "1, " + stem + "2], got " + pair.length);
                }
                yield pair;
            }
            case BOOL -> s.bool(key, false);
            case TEXT -> s.string(key, null);
            case CHOICE -> s.choice(key, null, o.choices());
        };
    }

    private static int count(Section s, String key) {
        int v = s.integer(key, 0);
        if (v < 1) throw new ConfigException(s.name(key) + ": must be at least 1, got " + v);
        return v;
    }

    /**
     * Makes the piece; a value it refuses is a one-line error, {@code key: message} when the
     * factory names the option, {@code prefix: message} otherwise.
     */
    public static <C, T> T make(Row<C, T> row, C context, Values values, Section s, String prefix) {
        try {
            return row.make(context, values);
        } catch (OptionException e) {
            throw new ConfigException(s.name(e.option()) + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(prefix + ": " + e.getMessage());
        }
    }
}
