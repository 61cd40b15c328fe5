package dev.descent.registry;

/**
 * The options a row's factory is given: each value as given, or the row's default when not.
 * Reading an option the row does not declare, or one with no default that was not given, is a bug
 * in the row and throws {@link IllegalStateException}; a factory reads a
 * {@linkplain Option#computed computed} option only after checking {@link #given}.
 */
public interface Options {
    /** Whether the option was given (rather than defaulted). */
    boolean given(String key);

    /** The value of an option, as given or defaulted, in the type its {@link Option.Type} keeps. */
    Object value(String key);

    default double number(String key) {
        return (Double) value(key);
    }

    default int whole(String key) {
        return (Integer) value(key);
    }

    /**
     * A {@link Option.Type#SIZE}: the number given, or {@code vocabulary} for the word
     * {@value Option#VOCABULARY}.
     *
     * @throws OptionException for the word when there is no vocabulary ({@code vocabulary < 1})
     */
    default int size(String key, int vocabulary) {
        Object v = value(key);
        if (!Option.VOCABULARY.equals(v)) return (Integer) v;
        if (vocabulary < 1) throw new OptionException(key, "'" + Option.VOCABULARY + "' needs text data (data.train: {text: FILE}), which has a tokenizer");
        return vocabulary;
    }

    default long steps(String key) {
        return (Long) value(key);
    }

    default boolean bool(String key) {
        return (Boolean) value(key);
    }

    default String text(String key) {
        return (String) value(key);
    }

    /** A {@link Option.Type#PAIR} or {@link Option.Type#STEP_LIST}; a copy. */
    default double[] numbers(String key) {
        return ((double[]) value(key)).clone();
    }
}
