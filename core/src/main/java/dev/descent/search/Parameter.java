package dev.descent.search;

import java.util.Objects;

/** A named dimension of a {@link SearchSpace}, optionally active only under a {@link Condition} (null = always active). */
public record Parameter(String name, Dimension dimension, Condition condition) {
    public Parameter {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) throw new IllegalArgumentException("parameter name must not be blank");
        Objects.requireNonNull(dimension, "dimension of parameter '" + name + "'");
    }

    public static Parameter of(String name, Dimension dimension) {
        return new Parameter(name, dimension, null);
    }

    public static Parameter of(String name, Dimension dimension, Condition condition) {
        return new Parameter(name, dimension, Objects.requireNonNull(condition, "condition"));
    }

    public boolean conditional() {
        return condition != null;
    }
}
