package dev.descent.schedule;

/**
 * Argument checks shared by the schedules, so that every message has the same shape:
 * {@code "<factory>: <option> must be <rule>, got <value>"}. Option names are PyTorch's where PyTorch
 * has the option, because that is the name users know from their configs.
 */
final class Checks {
    private Checks() {}

    static IllegalArgumentException fail(String where, String message) {
        return new IllegalArgumentException(where + ": " + message);
    }

    /** A step is the number of optimizer steps already taken, so it cannot be negative. */
    static void step(String where, long step) {
        if (step < 0) throw fail(where, "step must be >= 0, got " + step);
    }

    /** A learning rate: finite and not negative (PyTorch's optimizers reject a negative lr too). */
    static double rate(String where, String name, double value) {
        if (!Double.isFinite(value) || value < 0) {
            throw fail(where, name + " must be a finite number >= 0, got " + value);
        }
        return value;
    }

    static double positive(String where, String name, double value) {
        if (!Double.isFinite(value) || value <= 0) {
            throw fail(where, name + " must be a finite number > 0, got " + value);
        }
        return value;
    }

    static double nonNegative(String where, String name, double value) {
        if (!Double.isFinite(value) || value < 0) {
            throw fail(where, name + " must be a finite number >= 0, got " + value);
        }
        return value;
    }

    /** A closed interval check; lo and hi appear in the message so the user sees the allowed range. */
    static double within(String where, String name, double value, double lo, double hi) {
        if (!(value >= lo && value <= hi)) {
            throw fail(where, name + " must be in [" + lo + ", " + hi + "], got " + value);
        }
        return value;
    }

    static long positive(String where, String name, long value) {
        if (value <= 0) throw fail(where, name + " must be positive, got " + value);
        return value;
    }

    static long nonNegative(String where, String name, long value) {
        if (value < 0) throw fail(where, name + " must be >= 0, got " + value);
        return value;
    }

    static <T> T notNull(String where, String name, T value) {
        if (value == null) throw fail(where, name + " must not be null");
        return value;
    }
}
