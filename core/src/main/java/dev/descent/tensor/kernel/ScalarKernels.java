package dev.descent.tensor.kernel;

/**
 * Scalar twins of the vector kernels: the reference the vector kernels must match bit for bit,
 * and what runs when the Vector API module is absent. Every loop here performs the same
 * floating-point operations in the same order as its vector counterpart. One exception to "bit
 * for bit": a NaN computed from two NaN operands (or inf - inf) in a binary kernel or a reduction
 * is NaN in both, but its sign and payload may differ, as Java leaves them unspecified and the
 * JIT does produce different ones (KernelParityTest). Unary kernels match exactly, NaNs included.
 */
public final class ScalarKernels {
    /** Number of partial sums a contiguous sum keeps; the vector kernel keeps the same lanes. */
    public static final int SUM_LANES = 8;

    private ScalarKernels() {}

    public static void unary(UnaryOp op, float[] x, int xo, float[] out, int oo, int n) {
        switch (op) {
            case NEG -> { for (int i = 0; i < n; i++) out[oo + i] = -x[xo + i]; }
            case ABS -> { for (int i = 0; i < n; i++) out[oo + i] = Math.abs(x[xo + i]); }
            case SQRT -> { for (int i = 0; i < n; i++) out[oo + i] = (float) Math.sqrt(x[xo + i]); }
            case RELU -> { for (int i = 0; i < n; i++) { float v = x[xo + i]; out[oo + i] = v > 0f ? v : (v == v ? 0f : v); } }
            case EXP -> { for (int i = 0; i < n; i++) out[oo + i] = FloatMath.exp(x[xo + i]); }
            case LOG -> { for (int i = 0; i < n; i++) out[oo + i] = FloatMath.log(x[xo + i]); }
            case SIGMOID -> { for (int i = 0; i < n; i++) out[oo + i] = FloatMath.sigmoid(x[xo + i]); }
            case TANH -> { for (int i = 0; i < n; i++) out[oo + i] = FloatMath.tanh(x[xo + i]); }
            case SOFTPLUS -> { for (int i = 0; i < n; i++) out[oo + i] = FloatMath.softplus(x[xo + i]); }
            case ERF -> { for (int i = 0; i < n; i++) out[oo + i] = FloatMath.erf(x[xo + i]); }
            case GELU -> { for (int i = 0; i < n; i++) out[oo + i] = FloatMath.gelu(x[xo + i]); }
            case GELU_GRAD -> { for (int i = 0; i < n; i++) out[oo + i] = FloatMath.geluGrad(x[xo + i]); }
            default -> { for (int i = 0; i < n; i++) out[oo + i] = op.apply(x[xo + i]); }
        }
    }

    public static void binary(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) out[oo + i] = a[ao + i] + b[bo + i]; }
            case SUB -> { for (int i = 0; i < n; i++) out[oo + i] = a[ao + i] - b[bo + i]; }
            case MUL -> { for (int i = 0; i < n; i++) out[oo + i] = a[ao + i] * b[bo + i]; }
            case DIV -> { for (int i = 0; i < n; i++) out[oo + i] = a[ao + i] / b[bo + i]; }
            default -> { for (int i = 0; i < n; i++) out[oo + i] = op.apply(a[ao + i], b[bo + i]); }
        }
    }

    /** out = a op s (scalarOnRight) or s op a. */
    public static void binaryScalar(BinaryOp op, float[] a, int ao, float s, boolean scalarOnRight, float[] out, int oo, int n) {
        if (scalarOnRight) {
            switch (op) {
                case ADD -> { for (int i = 0; i < n; i++) out[oo + i] = a[ao + i] + s; }
                case MUL -> { for (int i = 0; i < n; i++) out[oo + i] = a[ao + i] * s; }
                default -> { for (int i = 0; i < n; i++) out[oo + i] = op.apply(a[ao + i], s); }
            }
        } else {
            for (int i = 0; i < n; i++) out[oo + i] = op.apply(s, a[ao + i]);
        }
    }

    /**
     * The relu gradient: {@code out[i] = x[i] <= 0 ? 0 : g[i]}, PyTorch's threshold_backward (0 at
     * x == 0; a NaN x passes g on, since NaN <= 0 is false). One pass instead of g * step(x).
     */
    public static void reluBackward(float[] x, int xo, float[] g, int go, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) out[oo + i] = x[xo + i] <= 0f ? 0f : g[go + i];
    }

    /** acc[i] += x[i]. */
    public static void addInPlace(float[] acc, int ao, float[] x, int xo, int n) {
        for (int i = 0; i < n; i++) acc[ao + i] += x[xo + i];
    }

    /**
     * Sum of n contiguous floats, accumulated in double across {@link #SUM_LANES} partial sums
     * (element i goes to partial i mod 8 over whole blocks of 8, the tail into partial 0 in order),
     * combined as ((p0+p4)+(p2+p6)) + ((p1+p5)+(p3+p7)).
     */
    public static double sum(float[] x, int xo, int n) {
        // the eight partials in locals, not an array: no allocation and no inner loop, which is
        // what a small model's loss costs before the JIT has compiled this (same additions)
        double p0 = 0, p1 = 0, p2 = 0, p3 = 0, p4 = 0, p5 = 0, p6 = 0, p7 = 0;
        int blocks = n / SUM_LANES * SUM_LANES;
        for (int i = xo; i < xo + blocks; i += SUM_LANES) {
            p0 += x[i];
            p1 += x[i + 1];
            p2 += x[i + 2];
            p3 += x[i + 3];
            p4 += x[i + 4];
            p5 += x[i + 5];
            p6 += x[i + 6];
            p7 += x[i + 7];
        }
        double total = ((p0 + p4) + (p2 + p6)) + ((p1 + p5) + (p3 + p7)); // combine's order
        for (int i = blocks; i < n; i++) total += x[xo + i];
        return total;
    }

    /**
     * Sum of squares of n contiguous floats, in the partial-sum order of {@link #sum}. Each square
     * is exact in double (24-bit significands give at most 48 bits), so the vector twin's products
     * agree bit for bit.
     */
    public static double sumSquares(float[] x, int xo, int n) {
        // Eight named partials rather than an array: optimizer steps must not allocate.
        double p0 = 0, p1 = 0, p2 = 0, p3 = 0, p4 = 0, p5 = 0, p6 = 0, p7 = 0;
        int blocks = n / SUM_LANES * SUM_LANES;
        for (int i = 0; i < blocks; i += SUM_LANES) {
            int j = xo + i;
            double v0 = x[j], v1 = x[j + 1], v2 = x[j + 2], v3 = x[j + 3], v4 = x[j + 4], v5 = x[j + 5], v6 = x[j + 6], v7 = x[j + 7];
            p0 += v0 * v0; p1 += v1 * v1; p2 += v2 * v2; p3 += v3 * v3;
            p4 += v4 * v4; p5 += v5 * v5; p6 += v6 * v6; p7 += v7 * v7;
        }
        double total = ((p0 + p4) + (p2 + p6)) + ((p1 + p5) + (p3 + p7));
        for (int i = blocks; i < n; i++) {
            double v = x[xo + i];
            total += v * v;
        }
        return total;
    }

    /**
     * Sum of {@code count} segments of {@code len} floats, segment c at {@code x[xo + c*stride..]}
     * (a channel of an NCHW tensor: one plane per image), in double: within each segment,
     * element i &lt; len/8*8 goes to partial i mod 8 and the rest to a tail sum, segment after segment;
     * the result is combine(partials) + tail. One call instead of one {@link #sum} per segment,
     * whose fixed cost dominated for small planes.
     */
    public static double sumSegments(float[] x, int xo, int len, int count, int stride) {
        double[] p = new double[SUM_LANES];
        double tail = 0;
        int blocks = len / SUM_LANES * SUM_LANES;
        for (int c = 0; c < count; c++) {
            int base = xo + c * stride;
            for (int i = 0; i < blocks; i += SUM_LANES) {
                for (int l = 0; l < SUM_LANES; l++) p[l] += x[base + i + l];
            }
            for (int i = blocks; i < len; i++) tail += x[base + i];
        }
        return combine(p) + tail;
    }

    static double combine(double[] p) {
        return ((p[0] + p[4]) + (p[2] + p[6])) + ((p[1] + p[5]) + (p[3] + p[7]));
    }

    /** Largest of n contiguous floats (NaN if any is NaN); n must be positive. */
    public static float max(float[] x, int xo, int n) {
        float m = x[xo];
        for (int i = 1; i < n; i++) m = Math.max(m, x[xo + i]);
        return m;
    }

    /** out[j] = sum over r of x[r*cols + j], accumulated in double in row order. */
    public static void sumRows(float[] x, int xo, int rows, int cols, float[] out, int oo) {
        if (cols == 1) {
            // one column (the bias of a single output): the same sum without the accumulator array
            double acc = 0;
            for (int r = 0; r < rows; r++) acc += x[xo + r];
            out[oo] = (float) acc;
            return;
        }
        double[] acc = new double[cols];
        for (int r = 0; r < rows; r++) {
            int base = xo + r * cols;
            for (int j = 0; j < cols; j++) acc[j] += x[base + j];
        }
        for (int j = 0; j < cols; j++) out[oo + j] = (float) acc[j];
    }
}
