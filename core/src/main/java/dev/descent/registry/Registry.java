package dev.descent.registry;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The rows of one kind of piece, in the order they are documented and listed in messages.
 *
 * @param kind what the rows make, for messages ("optimizer", "schedule")
 * @param <C>  what a row's factory needs besides the options
 * @param <T>  what the rows make
 */
public record Registry<C, T>(String kind, List<Row<C, T>> rows) {
    public Registry {
        rows = List.copyOf(rows);
        Set<String> seen = new HashSet<>();
        for (Row<C, T> r : rows) {
            if (!seen.add(r.name())) throw new IllegalArgumentException(kind + " " + r.name() + " twice");
        }
    }

    @SafeVarargs
    public static <C, T> Registry<C, T> of(String kind, Row<C, T>... rows) {
        return new Registry<>(kind, List.of(rows));
    }

    /** The names, in order. */
    public List<String> names() {
        return rows.stream().map(Row::name).toList();
    }

    /** The row of that name, or null. */
    public Row<C, T> row(String name) {
        for (Row<C, T> r : rows) {
            if (r.name().equals(name)) return r;
        }
        return null;
    }

    /** The row of that name; an unknown name is an {@link IllegalArgumentException} listing the known ones. */
    public Row<C, T> require(String name) {
        Row<C, T> r = row(name);
        if (r == null) throw new IllegalArgumentException("unknown " + kind + " '" + name + "' (choose from " + String.join(", ", names()) + ")");
        return r;
    }

    /** Makes the named piece with every option at its default. */
    public T make(String name, C context) {
        return require(name).make(context);
    }
}
