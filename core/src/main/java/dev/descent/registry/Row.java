package dev.descent.registry;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One entry of a {@link Registry}: the name a config uses, the options in the order they are read
 * (and listed in messages), and the factory.
 *
 * @param <C> what the factory needs besides the options (an optimizer's learning rate, a
 *            schedule's base rate and run length), {@link Void} when nothing
 * @param <T> what the row makes
 */
public record Row<C, T>(String name, List<Option> options, Factory<C, T> factory) {

    /** Makes the piece from its context and its options. */
    @FunctionalInterface
    public interface Factory<C, T> {
        /**
         * @throws IllegalArgumentException for a value out of range (an {@link OptionException}
         *                                  when one option is to blame)
         */
        T make(C context, Options options);
    }

    public Row {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("row name is empty");
        options = List.copyOf(options);
        Set<String> seen = new HashSet<>();
        for (Option o : options) {
            if (!seen.add(o.name())) throw new IllegalArgumentException("row " + name + ": option " + o.name() + " twice");
        }
        if (factory == null) throw new IllegalArgumentException("row " + name + ": factory is null");
    }

    public Row(String name, Factory<C, T> factory, Option... options) {
        this(name, List.of(options), factory);
    }

    /** The option of that name, or null. */
    public Option option(String key) {
        for (Option o : options) {
            if (o.name().equals(key)) return o;
        }
        return null;
    }

    /** The option names, in order. */
    public List<String> optionNames() {
        return options.stream().map(Option::name).toList();
    }

    /** Makes the piece with every option at its default. */
    public T make(C context) {
        return factory.make(context, Values.of(this));
    }

    /** Makes the piece from options as given. */
    public T make(C context, Options options) {
        return factory.make(context, options);
    }
}
