package dev.descent.optim;

/** Validation helpers whose messages name the option, PyTorch style ("Invalid beta1: 1.0 ..."). */
final class Check {
    private Check() {}

    static void nonNegative(String option, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("Invalid " + option + ": " + value + " (must be finite and >= 0)");
        }
    }

    static void positive(String option, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("Invalid " + option + ": " + value + " (must be finite and > 0)");
        }
    }

    /** {@code 0 <= value < 1}, the range of a moving-average coefficient such as a beta. */
    static void unitInterval(String option, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException("Invalid " + option + ": " + value + " (must be in [0, 1))");
        }
    }

    /** {@code 0 <= value <= 1}. */
    static void closedUnitInterval(String option, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("Invalid " + option + ": " + value + " (must be in [0, 1])");
        }
    }
}
