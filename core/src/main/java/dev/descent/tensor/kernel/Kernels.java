package dev.descent.tensor.kernel;

/**
 * Entry point of the elementwise and reduction kernels on float arrays: runs the Vector API
 * version or its scalar twin according to {@link KernelMode}, and splits long elementwise loops
 * over {@link Parallel}'s threads by output range (which cannot change any result).
 */
public final class Kernels {
    /** Below this many elements an elementwise op stays on one thread: forking costs more. */
    private static final int PARALLEL_GRAIN = 1 << 15;

    private Kernels() {}

    public static void unary(UnaryOp op, float[] x, int xo, float[] out, int oo, int n) {
        Parallel.forRange(n, PARALLEL_GRAIN, (from, to) -> {
            if (KernelMode.vectorized()) VectorKernels.unary(op, x, xo + from, out, oo + from, to - from);
            else ScalarKernels.unary(op, x, xo + from, out, oo + from, to - from);
        });
    }

    public static void binary(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        Parallel.forRange(n, PARALLEL_GRAIN, (from, to) -> {
            if (KernelMode.vectorized()) VectorKernels.binary(op, a, ao + from, b, bo + from, out, oo + from, to - from);
            else ScalarKernels.binary(op, a, ao + from, b, bo + from, out, oo + from, to - from);
        });
    }

    public static void binaryScalar(BinaryOp op, float[] a, int ao, float s, boolean scalarOnRight, float[] out, int oo, int n) {
        Parallel.forRange(n, PARALLEL_GRAIN, (from, to) -> {
            if (KernelMode.vectorized()) VectorKernels.binaryScalar(op, a, ao + from, s, scalarOnRight, out, oo + from, to - from);
            else ScalarKernels.binaryScalar(op, a, ao + from, s, scalarOnRight, out, oo + from, to - from);
        });
    }

    /** out[i] = x[i] &lt;= 0 ? 0 : g[i] (see {@link ScalarKernels#reluBackward}), split by output range. */
    public static void reluBackward(float[] x, int xo, float[] g, int go, float[] out, int oo, int n) {
        Parallel.forRange(n, PARALLEL_GRAIN, (from, to) -> {
            if (KernelMode.vectorized()) VectorKernels.reluBackward(x, xo + from, g, go + from, out, oo + from, to - from);
            else ScalarKernels.reluBackward(x, xo + from, g, go + from, out, oo + from, to - from);
        });
    }

    public static void addInPlace(float[] acc, int ao, float[] x, int xo, int n) {
        if (KernelMode.vectorized()) VectorKernels.addInPlace(acc, ao, x, xo, n);
        else ScalarKernels.addInPlace(acc, ao, x, xo, n);
    }

    public static double sum(float[] x, int xo, int n) {
        return KernelMode.vectorized() ? VectorKernels.sum(x, xo, n) : ScalarKernels.sum(x, xo, n);
    }

    /** Sum of count segments of len floats at stride apart; see {@link ScalarKernels#sumSegments}. */
    public static double sumSegments(float[] x, int xo, int len, int count, int stride) {
        return KernelMode.vectorized() ? VectorKernels.sumSegments(x, xo, len, count, stride) : ScalarKernels.sumSegments(x, xo, len, count, stride);
    }

    public static float max(float[] x, int xo, int n) {
        return KernelMode.vectorized() ? VectorKernels.max(x, xo, n) : ScalarKernels.max(x, xo, n);
    }

    public static void sumRows(float[] x, int xo, int rows, int cols, float[] out, int oo) {
        if (KernelMode.vectorized()) VectorKernels.sumRows(x, xo, rows, cols, out, oo);
        else ScalarKernels.sumRows(x, xo, rows, cols, out, oo);
    }
}
