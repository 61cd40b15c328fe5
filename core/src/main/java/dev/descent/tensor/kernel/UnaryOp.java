package dev.descent.tensor.kernel;

/**
 * Elementwise functions of one argument. {@link #apply(double)} is the definition in double
 * precision (float64 tensors and the gradient checks use it). Float32 tensors use
 * {@link #apply(float)}: for EXP, LOG, SIGMOID, TANH, SOFTPLUS, ERF, GELU and GELU_GRAD that is the {@link FloatMath}
 * function (within 2 ulp of the float nearest the exact value, not always that float); for the
 * others (NEG, ABS, SIGN, SQRT, RELU, STEP) it is {@code (float) apply(x)}, the correctly rounded
 * float result. The scalar and the vector kernels compute {@link #apply(float)} bit for bit.
 */
public enum UnaryOp {
    NEG {
        @Override public double apply(double x) { return -x; }
    },
    ABS {
        @Override public double apply(double x) { return Math.abs(x); }
    },
    SIGN {
        @Override public double apply(double x) { return Math.signum(x); }
    },
    EXP {
        @Override public double apply(double x) { return Math.exp(x); }
    },
    LOG {
        @Override public double apply(double x) { return Math.log(x); }
    },
    SQRT {
        @Override public double apply(double x) { return Math.sqrt(x); }
    },
    RELU {
        @Override public double apply(double x) { return x > 0 ? x : (x == x ? 0.0 : x); }
    },
    /** 1 where x > 0, else 0: the derivative of relu. */
    STEP {
        @Override public double apply(double x) { return x > 0 ? 1.0 : 0.0; }
    },
    SIGMOID {
        @Override public double apply(double x) {
            // Two branches so that exp never overflows: for x < 0, e^x / (1 + e^x).
            if (x >= 0) return 1.0 / (1.0 + Math.exp(-x));
            double e = Math.exp(x);
            return e / (1.0 + e);
        }
    },
    TANH {
        @Override public double apply(double x) { return Math.tanh(x); }
    },
    ERF {
        @Override public double apply(double x) { return Erf.erf(x); }
    },
    /** log(1 + e^x), linear above 20 like PyTorch's default threshold. */
    SOFTPLUS {
        @Override public double apply(double x) { return x > 20 ? x : Math.log1p(Math.exp(x)); }
    },
    /** Exact GELU, x Phi(x) = x / 2 (1 + erf(x / sqrt 2)) (Hendrycks and Gimpel, 2016). */
    GELU {
        @Override public double apply(double x) { return 0.5 * x * (1 + Erf.erf(x / Math.sqrt(2))); }
    },
    /** GELU's derivative Phi(x) + x phi(x), phi the standard normal density. */
    GELU_GRAD {
        @Override public double apply(double x) {
            return 0.5 * (1 + Erf.erf(x / Math.sqrt(2))) + x * Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
        }
    };

    /** The function in double precision. */
    public abstract double apply(double x);

    /** The function on a float, as the float32 kernels compute it. */
    public float apply(float x) {
        return switch (this) {
            case EXP -> FloatMath.exp(x);
            case LOG -> FloatMath.log(x);
            case SIGMOID -> FloatMath.sigmoid(x);
            case TANH -> FloatMath.tanh(x);
            case SOFTPLUS -> FloatMath.softplus(x);
            case ERF -> FloatMath.erf(x);
            case GELU -> FloatMath.gelu(x);
            case GELU_GRAD -> FloatMath.geluGrad(x);
            default -> (float) apply((double) x);
        };
    }
}
