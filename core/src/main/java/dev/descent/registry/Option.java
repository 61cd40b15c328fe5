package dev.descent.registry;

import java.util.List;

/**
 * One option of a registry row: PyTorch's name for it, its type and its default.
 *
 * <p>The default is one of three: a value ({@code fallback}); none, because the option is
 * {@linkplain #required() required}; or computed by the row's factory from what it is given
 * ({@linkplain #computed(String) computed}, e.g. a cosine's {@code T_max} defaults to the run's
 * length). {@code choices} lists the values a {@link Type#CHOICE} option accepts.
 *
 * @param name     the option's name, as in PyTorch ({@code weight_decay}, {@code T_max})
 * @param type     how the value is read and checked
 * @param fallback the default value (a {@link Double}, {@link Integer}, {@link Long},
 *                 {@link Boolean}, {@link String} or {@code double[]}, after the type), or null
 * @param computed how the factory computes the default when the option is not given, or null
 * @param choices  the accepted values of a {@link Type#CHOICE}, empty otherwise
 */
public record Option(String name, Type type, Object fallback, String computed, List<String> choices) {

    /** How an option's value is read and checked. */
    public enum Type {
        /** A number (a {@code double}). */
        NUMBER,
        /** A whole number (an {@code int}). */
        WHOLE,
        /** A whole number at least 1, such as a layer's width (an {@code int}). */
        COUNT,
        /**
         * A layer's size: a {@link #COUNT}, or the word {@value #VOCABULARY} for the size of the run's
         * vocabulary (kept as an {@code Integer}, or as the {@code String} {@value #VOCABULARY}).
         */
        SIZE,
        /** A whole number of optimizer steps (a {@code long}). */
        STEPS,
        /** A list of optimizer steps (read as numbers, kept as {@code double[]}). */
        STEP_LIST,
        /** Two numbers, such as Adam's {@code betas} (a {@code double[2]}). */
        PAIR,
        /** true or false. */
        BOOL,
        /** Any single value, kept as text. */
        TEXT,
        /** One of {@code choices}. */
        CHOICE
    }

    /** The word a {@link Type#SIZE} option accepts for the vocabulary's size. */
    public static final String VOCABULARY = "vocab";

    public Option {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("option name is empty");
        if (type == null) throw new IllegalArgumentException("option " + name + ": type is null");
        choices = List.copyOf(choices);
        if ((type == Type.CHOICE) == choices.isEmpty()) {
            throw new IllegalArgumentException("option " + name + ": choices are for CHOICE options and only them");
        }
        if (fallback != null && computed != null) throw new IllegalArgumentException("option " + name + ": a default value or a computed one, not both");
        if (type == Type.CHOICE && fallback != null && !choices.contains(fallback)) {
            throw new IllegalArgumentException("option " + name + ": default " + fallback + " is not one of " + choices);
        }
    }

    public static Option number(String name, double fallback) {
        return new Option(name, Type.NUMBER, fallback, null, List.of());
    }

    public static Option whole(String name, int fallback) {
        return new Option(name, Type.WHOLE, fallback, null, List.of());
    }

    public static Option count(String name, int fallback) {
        if (fallback < 1) throw new IllegalArgumentException("option " + name + ": a count's default is at least 1, got " + fallback);
        return new Option(name, Type.COUNT, fallback, null, List.of());
    }

    public static Option steps(String name, long fallback) {
        return new Option(name, Type.STEPS, fallback, null, List.of());
    }

    public static Option bool(String name, boolean fallback) {
        return new Option(name, Type.BOOL, fallback, null, List.of());
    }

    public static Option text(String name, String fallback) {
        return new Option(name, Type.TEXT, fallback, null, List.of());
    }

    public static Option pair(String name, double first, double second) {
        return new Option(name, Type.PAIR, new double[] {first, second}, null, List.of());
    }

    public static Option choice(String name, String fallback, String... choices) {
        return new Option(name, Type.CHOICE, fallback, null, List.of(choices));
    }

    /** An option of this type with no default: a config must give it. */
    public static Option required(String name, Type type) {
        return new Option(name, type, null, null, List.of());
    }

    /** An option whose default the factory computes; {@code how} says from what, for the docs. */
    public static Option computed(String name, Type type, String how) {
        return new Option(name, type, null, how, List.of());
    }

    /** Whether a config must give this option. */
    public boolean required() {
        return fallback == null && computed == null;
    }
}
