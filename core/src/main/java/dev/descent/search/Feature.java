package dev.descent.search;

/**
 * One input column of the importance forest: a parameter in its internal representation, and the
 * box of values it ranges over, which fANOVA integrates over uniformly.
 *
 * <p>A numeric column holds values in {@code [low, high]}. A categorical column holds category
 * indices {@code 0 .. categories-1}, each with probability {@code 1/categories}; {@code low} and
 * {@code high} are unused (0 and {@code categories}).
 *
 * @param name       the parameter's name
 * @param low        lower bound of a numeric column
 * @param high       upper bound of a numeric column, {@code > low}
 * @param categories 0 for a numeric column, else the number of categories ({@code >= 1})
 */
record Feature(String name, double low, double high, int categories) {
    Feature {
        if (categories < 0) throw new IllegalArgumentException(name + ": categories must be >= 0, got " + categories);
        if (categories == 0 && !(low < high)) throw new IllegalArgumentException(name + ": needs low < high, got [" + low + ", " + high + "]");
    }

    static Feature numeric(String name, double low, double high) {
        return new Feature(name, low, high, 0);
    }

    static Feature categorical(String name, int categories) {
        if (categories < 1) throw new IllegalArgumentException(name + ": needs at least one category");
        return new Feature(name, 0, categories, categories);
    }

    boolean isCategorical() {
        return categories > 0;
    }
}
