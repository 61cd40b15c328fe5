package dev.descent.search;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * The domain of one hyperparameter. Sealed because every sampler switches over all four cases.
 *
 * <ul>
 *   <li>{@link Uniform}: a double drawn from {@code [low, high)} with density {@code 1/(high-low)}.
 *   <li>{@link LogUniform}: a double whose logarithm is uniform, density {@code 1/(x ln(high/low))}.
 *       Learning rates and weight decays live on this scale.
 *   <li>{@link IntRange}: the integers {@code low, low+step, ..., <= high}, optionally log-spaced
 *       (step must then be 1, as in Optuna, because a log grid with a fixed step is not a grid).
 *   <li>{@link Categorical}: one of a finite list of choices (strings, numbers, booleans), unordered.
 * </ul>
 */
public sealed interface Dimension permits Dimension.Uniform, Dimension.LogUniform, Dimension.IntRange, Dimension.Categorical {

    /** Uniform double in {@code [low, high)}. */
    record Uniform(double low, double high) implements Dimension {
        public Uniform {
            requireFiniteOrdered(low, high);
        }
    }

    /** Log-uniform double in {@code [low, high)}: {@code ln x} is uniform in {@code [ln low, ln high)}. */
    record LogUniform(double low, double high) implements Dimension {
        public LogUniform {
            requireFiniteOrdered(low, high);
            if (low <= 0) throw new IllegalArgumentException("log-uniform needs positive bounds, got low=" + low);
        }
    }

    /** Integers {@code low + k*step <= high}; with {@code log}, log-uniform over {@code [low, high]} and step 1. */
    record IntRange(int low, int high, int step, boolean log) implements Dimension {
        public IntRange {
            if (low >= high) throw new IllegalArgumentException("int range needs low < high, got low=" + low + " high=" + high);
            if (step < 1) throw new IllegalArgumentException("int range needs step >= 1, got " + step);
            if (log && low <= 0) throw new IllegalArgumentException("log int range needs positive bounds, got low=" + low);
            if (log && step != 1) throw new IllegalArgumentException("log int range needs step 1, got " + step);
        }

        /** Largest value on the grid: {@code low + floor((high-low)/step)*step}. */
        public int top() {
            return low + (high - low) / step * step;
        }

        /** Number of grid values. */
        public int count() {
            return (high - low) / step + 1;
        }
    }

    /** One of {@code choices}, which must be non-empty, non-null and distinct. */
    record Categorical(List<Object> choices) implements Dimension {
        public Categorical {
            Objects.requireNonNull(choices, "choices");
            if (choices.isEmpty()) throw new IllegalArgumentException("categorical needs at least one choice");
            for (Object c : choices) if (c == null) throw new IllegalArgumentException("categorical choices must not be null: " + choices);
            if (new HashSet<>(choices).size() != choices.size()) throw new IllegalArgumentException("categorical choices must be distinct: " + choices);
            choices = List.copyOf(choices);
        }

        /** Index of {@code value} in the choices, or -1. */
        public int indexOf(Object value) {
            return choices.indexOf(value);
        }
    }

    static Uniform uniform(double low, double high) {
        return new Uniform(low, high);
    }

    static LogUniform logUniform(double low, double high) {
        return new LogUniform(low, high);
    }

    static IntRange intRange(int low, int high) {
        return new IntRange(low, high, 1, false);
    }

    static IntRange intRange(int low, int high, int step) {
        return new IntRange(low, high, step, false);
    }

    static IntRange logIntRange(int low, int high) {
        return new IntRange(low, high, 1, true);
    }

    static Categorical categorical(Object... choices) {
        return new Categorical(List.of(choices));
    }

    private static void requireFiniteOrdered(double low, double high) {
        if (!Double.isFinite(low) || !Double.isFinite(high)) throw new IllegalArgumentException("bounds must be finite, got low=" + low + " high=" + high);
        if (low >= high) throw new IllegalArgumentException("needs low < high, got low=" + low + " high=" + high);
    }
}
