package dev.descent.tensor.kernel;

/**
 * Elementwise functions of two arguments. For float32 inputs the arithmetic ones are exactly
 * IEEE float arithmetic (computing in double and rounding once gives the same bits for +, -, *,
 * / as float arithmetic does), so the generic strided path and the vector kernels agree.
 * Comparisons return 1 or 0.
 */
public enum BinaryOp {
    ADD { @Override public double apply(double a, double b) { return a + b; } },
    SUB { @Override public double apply(double a, double b) { return a - b; } },
    MUL { @Override public double apply(double a, double b) { return a * b; } },
    DIV { @Override public double apply(double a, double b) { return a / b; } },
    MAX { @Override public double apply(double a, double b) { return Math.max(a, b); } },
    MIN { @Override public double apply(double a, double b) { return Math.min(a, b); } },
    POW { @Override public double apply(double a, double b) { return Math.pow(a, b); } },
    EQ { @Override public double apply(double a, double b) { return a == b ? 1 : 0; } },
    NE { @Override public double apply(double a, double b) { return a != b ? 1 : 0; } },
    LT { @Override public double apply(double a, double b) { return a < b ? 1 : 0; } },
    LE { @Override public double apply(double a, double b) { return a <= b ? 1 : 0; } },
    GT { @Override public double apply(double a, double b) { return a > b ? 1 : 0; } },
    GE { @Override public double apply(double a, double b) { return a >= b ? 1 : 0; } };

    /** The function in double precision. */
    public abstract double apply(double a, double b);

    /** The function on floats, as the kernels compute it. */
    public float apply(float a, float b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            default -> (float) apply((double) a, (double) b);
        };
    }
}
