package dev.descent.tensor.kernel;

/**
 * Entry point of the elementwise and reduction kernels on float arrays: runs the Vector API
 * version or its scalar twin according to {@link KernelMode}, and splits long elementwise loops
 * over {@link Parallel}'s threads by output range (which cannot change any result). Calls over
 * fewer than {@link KernelMode#SMALL} elements take the scalar twin (same bits; see there why).
 */
public final class Kernels {
    /**
     * Below this many elements per thread an elementwise op stays on one thread: forking costs
     * more. With the pool's spinning workers a fork costs about a microsecond, so a 128 x 256
     * activation (32k floats, a few microseconds of work) is worth splitting.
     */
    private static final int PARALLEL_GRAIN = 1 << 13;

    private Kernels() {}

    /**
     * Loads and initializes the scalar kernel classes (and the dispatch in front of them) now
     * rather than at their first call: for a planned step that first call would be inside the
     * first training step, about a millisecond of class definition and verification here, as
     * long as the step's next 100 runs. Idempotent and cheap after the first call.
     */
    public static void initializeScalar() {
        for (Class<?> c : new Class<?>[] {KernelMode.class, Gemm.class, ScalarGemm.class, ScalarKernels.class, FloatMath.class}) {
            try {
                Class.forName(c.getName(), true, c.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("kernel class " + c.getName() + " vanished", e);
            }
        }
    }

    public static void unary(UnaryOp op, float[] x, int xo, float[] out, int oo, int n) {
        // One chunk runs straight here: no lambda, so a small model's first step links none
        // (each lambda's first use costs a class definition; see Parallel#runsInline).
        if (Parallel.runsInline(n, PARALLEL_GRAIN)) unaryRange(op, x, xo, out, oo, n);
        else Parallel.forRange(n, PARALLEL_GRAIN, (from, to) -> unaryRange(op, x, xo + from, out, oo + from, to - from));
    }

    private static void unaryRange(UnaryOp op, float[] x, int xo, float[] out, int oo, int n) {
        if (KernelMode.vectorFor(n)) VectorKernels.unary(op, x, xo, out, oo, n);
        else ScalarKernels.unary(op, x, xo, out, oo, n);
    }

    public static void binary(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        if (Parallel.runsInline(n, PARALLEL_GRAIN)) binaryRange(op, a, ao, b, bo, out, oo, n);
        else Parallel.forRange(n, PARALLEL_GRAIN, (from, to) -> binaryRange(op, a, ao + from, b, bo + from, out, oo + from, to - from));
    }

    private static void binaryRange(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        if (KernelMode.vectorFor(n)) VectorKernels.binary(op, a, ao, b, bo, out, oo, n);
        else ScalarKernels.binary(op, a, ao, b, bo, out, oo, n);
    }

    public static void binaryScalar(BinaryOp op, float[] a, int ao, float s, boolean scalarOnRight, float[] out, int oo, int n) {
        if (Parallel.runsInline(n, PARALLEL_GRAIN)) binaryScalarRange(op, a, ao, s, scalarOnRight, out, oo, n);
        else Parallel.forRange(n, PARALLEL_GRAIN, (from, to) -> binaryScalarRange(op, a, ao + from, s, scalarOnRight, out, oo + from, to - from));
    }

    private static void binaryScalarRange(BinaryOp op, float[] a, int ao, float s, boolean scalarOnRight, float[] out, int oo, int n) {
        if (KernelMode.vectorFor(n)) VectorKernels.binaryScalar(op, a, ao, s, scalarOnRight, out, oo, n);
        else ScalarKernels.binaryScalar(op, a, ao, s, scalarOnRight, out, oo, n);
    }

    /** out[i] = x[i] &lt;= 0 ? 0 : g[i] (see {@link ScalarKernels#reluBackward}), split by output range. */
    public static void reluBackward(float[] x, int xo, float[] g, int go, float[] out, int oo, int n) {
        if (Parallel.runsInline(n, PARALLEL_GRAIN)) reluBackwardRange(x, xo, g, go, out, oo, n);
        else Parallel.forRange(n, PARALLEL_GRAIN, (from, to) -> reluBackwardRange(x, xo + from, g, go + from, out, oo + from, to - from));
    }

    private static void reluBackwardRange(float[] x, int xo, float[] g, int go, float[] out, int oo, int n) {
        if (KernelMode.vectorFor(n)) VectorKernels.reluBackward(x, xo, g, go, out, oo, n);
        else ScalarKernels.reluBackward(x, xo, g, go, out, oo, n);
    }

    /**
     * out[r][j] = op(a[r][j], b[j]) for the rows r of row-major [rows, cols] blocks at a[ao..] and
     * out[oo..] against one row b[bo..] (a bias added to every row): one call for all rows, rows
     * split over threads when large; a call through {@link #binary} per row cost more than the
     * arithmetic for the narrow layers of small models. out may be a.
     */
    public static void binaryRows(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] out, int oo, int rows, int cols) {
        int grain = Math.max(1, PARALLEL_GRAIN / Math.max(1, cols));
        if (Parallel.runsInline(rows, grain)) binaryRowRange(op, a, ao, b, bo, out, oo, 0, rows, cols);
        else Parallel.forRange(rows, grain, (from, to) -> binaryRowRange(op, a, ao, b, bo, out, oo, from, to, cols));
    }

    private static void binaryRowRange(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] out, int oo, int from, int to, int cols) {
        boolean vector = KernelMode.vectorFor(cols);
        for (int r = from; r < to; r++) {
            if (vector) VectorKernels.binary(op, a, ao + r * cols, b, bo, out, oo + r * cols, cols);
            else ScalarKernels.binary(op, a, ao + r * cols, b, bo, out, oo + r * cols, cols);
        }
    }

    public static void addInPlace(float[] acc, int ao, float[] x, int xo, int n) {
        if (KernelMode.vectorFor(n)) VectorKernels.addInPlace(acc, ao, x, xo, n);
        else ScalarKernels.addInPlace(acc, ao, x, xo, n);
    }

    public static double sum(float[] x, int xo, int n) {
        return KernelMode.vectorFor(n) ? VectorKernels.sum(x, xo, n) : ScalarKernels.sum(x, xo, n);
    }

    /** Sum of x[i]^2 in double, in {@link ScalarKernels#sum}'s fixed partial order. */
    public static double sumSquares(float[] x, int xo, int n) {
        return KernelMode.vectorFor(n) ? VectorKernels.sumSquares(x, xo, n) : ScalarKernels.sumSquares(x, xo, n);
    }

    /** Sum of count segments of len floats at stride apart; see {@link ScalarKernels#sumSegments}. */
    public static double sumSegments(float[] x, int xo, int len, int count, int stride) {
        return KernelMode.vectorFor((long) len * count) ? VectorKernels.sumSegments(x, xo, len, count, stride) : ScalarKernels.sumSegments(x, xo, len, count, stride);
    }

    /**
     * {@code out[oo + r] = sumSegments(x, xo + r * len, len, 1, len)} for each of {@code rows}
     * rows: the same bits row by row, with the vector-or-scalar choice made for all rows at once
     * (a convolution's bias gradient sums 64 planes of 121 floats per image, each below the size
     * where one call alone would take the vector path).
     */
    public static void rowSums(float[] x, int xo, int rows, int len, double[] out, int oo) {
        boolean vector = KernelMode.vectorFor((long) rows * len);
        for (int r = 0; r < rows; r++) {
            int at = xo + r * len;
            out[oo + r] = vector ? VectorKernels.sumSegments(x, at, len, 1, len) : ScalarKernels.sumSegments(x, at, len, 1, len);
        }
    }

    public static float max(float[] x, int xo, int n) {
        return KernelMode.vectorFor(n) ? VectorKernels.max(x, xo, n) : ScalarKernels.max(x, xo, n);
    }

    public static void sumRows(float[] x, int xo, int rows, int cols, float[] out, int oo) {
        if (KernelMode.vectorFor((long) rows * cols)) VectorKernels.sumRows(x, xo, rows, cols, out, oo);
        else ScalarKernels.sumRows(x, xo, rows, cols, out, oo);
    }
}
