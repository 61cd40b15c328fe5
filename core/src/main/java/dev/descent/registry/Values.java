package dev.descent.registry;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link Options} held in a map: the values given for a row's options, and the row's defaults for
 * the others. Readers (the command line's config reader, Java code naming options) fill it with
 * {@link #with}.
 */
public final class Values implements Options {
    private final Row<?, ?> row;
    private final Map<String, Object> given = new LinkedHashMap<>();

    private Values(Row<?, ?> row) {
        this.row = row;
    }

    /** No option given: every option at its default. */
    public static Values of(Row<?, ?> row) {
        return new Values(row);
    }

    /**
     * Gives an option its value, in the type its {@link Option.Type} keeps ({@code Double},
     * {@code Integer}, {@code Long}, {@code Boolean}, {@code String}, {@code double[]}).
     */
    public Values with(String key, Object value) {
        Option o = declared(key);
        if (o.type() == Option.Type.SIZE && Option.VOCABULARY.equals(value)) {
            given.put(key, value);
            return this;
        }
        Class<?> want = switch (o.type()) {
            case NUMBER -> Double.class;
            case WHOLE, COUNT, SIZE -> Integer.class;
            case STEPS -> Long.class;
            case BOOL -> Boolean.class;
            case TEXT, CHOICE -> String.class;
            case PAIR, STEP_LIST -> double[].class;
        };
        if (!want.isInstance(value)) {
            throw new IllegalArgumentException(row.name() + "." + key + ": expected a " + want.getSimpleName() + ", got " + value);
        }
        given.put(key, value);
        return this;
    }

    private Option declared(String key) {
        Option o = row.option(key);
        if (o == null) throw new IllegalStateException(row.name() + " has no option " + key + " (options: " + row.optionNames() + ")");
        return o;
    }

    @Override
    public boolean given(String key) {
        declared(key);
        return given.containsKey(key);
    }

    @Override
    public Object value(String key) {
        Option o = declared(key);
        Object v = given.containsKey(key) ? given.get(key) : o.fallback();
        if (v == null) throw new IllegalStateException(row.name() + "." + key + " was not given and has no default");
        return v;
    }
}
