package dev.descent.tensor.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels. Each computes exactly what its {@link ScalarKernels} twin computes: lanes
 * hold independent elements, so elementwise results are identical, and reductions keep the same
 * partial sums in the same order. Exp, log, tanh, sigmoid, softplus, erf and GELU (and its derivative) run
 * {@link VectorFloatMath}, the lanewise twin of {@link FloatMath}; sign and step, which have no
 * vector form here, run the scalar kernel.
 */
final class VectorKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F8 = FloatVector.SPECIES_256;
    private static final VectorSpecies<Double> D8 = DoubleVector.SPECIES_512;

    private VectorKernels() {}

    static void unary(UnaryOp op, float[] x, int xo, float[] out, int oo, int n) {
        if (isVectorMath(op)) {
            unaryMath(op, x, xo, out, oo, n);
            return;
        }
        // One loop per operator: the JIT turns lanewise operations into vector instructions only
        // when the operator is a constant at the call site; a variable one runs a slow fallback.
        int i = switch (op) {
            case NEG -> negLoop(x, xo, out, oo, n);
            case ABS -> absLoop(x, xo, out, oo, n);
            case SQRT -> sqrtLoop(x, xo, out, oo, n);
            case RELU -> reluLoop(x, xo, out, oo, n);
            default -> 0;
        };
        ScalarKernels.unary(op, x, xo + i, out, oo + i, n - i);
    }

    private static boolean isVectorMath(UnaryOp op) {
        return op == UnaryOp.EXP || op == UnaryOp.LOG || op == UnaryOp.SIGMOID || op == UnaryOp.TANH || op == UnaryOp.SOFTPLUS
                || op == UnaryOp.ERF || op == UnaryOp.GELU || op == UnaryOp.GELU_GRAD;
    }

    /** The {@link VectorFloatMath} functions; the tail runs the scalar twin, which gives the same bits. */
    private static void unaryMath(UnaryOp op, float[] x, int xo, float[] out, int oo, int n) {
        // One loop method per function, not one loop over a functional interface or one method
        // holding all the loops: C2 compiles each loop on its own, within its node budget, so
        // the VectorFloatMath calls inline and no vector is boxed (see VectorFloatMath).
        int done = switch (op) {
            case EXP -> expLoop(x, xo, out, oo, n);
            case LOG -> logLoop(x, xo, out, oo, n);
            case SIGMOID -> sigmoidLoop(x, xo, out, oo, n);
            case TANH -> tanhLoop(x, xo, out, oo, n);
            case SOFTPLUS -> softplusLoop(x, xo, out, oo, n);
            case ERF -> erfLoop(x, xo, out, oo, n);
            case GELU -> geluLoop(x, xo, out, oo, n);
            case GELU_GRAD -> geluGradLoop(x, xo, out, oo, n);
            default -> throw new IllegalArgumentException(op.name());
        };
        ScalarKernels.unary(op, x, xo + done, out, oo + done, n - done);
    }

    private static int expLoop(float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) VectorFloatMath.exp(FloatVector.fromArray(F, x, xo + i)).intoArray(out, oo + i);
        return i;
    }

    private static int logLoop(float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) VectorFloatMath.log(FloatVector.fromArray(F, x, xo + i)).intoArray(out, oo + i);
        return i;
    }

    private static int sigmoidLoop(float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) VectorFloatMath.sigmoid(FloatVector.fromArray(F, x, xo + i)).intoArray(out, oo + i);
        return i;
    }

    private static int tanhLoop(float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) VectorFloatMath.tanh(FloatVector.fromArray(F, x, xo + i)).intoArray(out, oo + i);
        return i;
    }

    private static int softplusLoop(float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) VectorFloatMath.softplus(FloatVector.fromArray(F, x, xo + i)).intoArray(out, oo + i);
        return i;
    }

    private static int geluLoop(float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) VectorFloatMath.gelu(FloatVector.fromArray(F, x, xo + i)).intoArray(out, oo + i);
        return i;
    }

    private static int geluGradLoop(float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) VectorFloatMath.geluGrad(FloatVector.fromArray(F, x, xo + i)).intoArray(out, oo + i);
        return i;
    }

    private static int erfLoop(float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) VectorFloatMath.erf(FloatVector.fromArray(F, x, xo + i)).intoArray(out, oo + i);
        return i;
    }

    static void binary(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        // One loop per operator, for the reason given in unary().
        int i = switch (op) {
            case ADD -> addLoop(a, ao, b, bo, out, oo, n);
            case SUB -> subLoop(a, ao, b, bo, out, oo, n);
            case MUL -> mulLoop(a, ao, b, bo, out, oo, n);
            case DIV -> divLoop(a, ao, b, bo, out, oo, n);
            case MAX -> maxLoop(a, ao, b, bo, out, oo, n);
            case MIN -> minLoop(a, ao, b, bo, out, oo, n);
            default -> 0;
        };
        ScalarKernels.binary(op, a, ao + i, b, bo + i, out, oo + i, n - i);
    }

    static void binaryScalar(BinaryOp op, float[] a, int ao, float s, boolean scalarOnRight, float[] out, int oo, int n) {
        int i = 0;
        if (scalarOnRight) {
            i = switch (op) {
                case ADD -> addScalarLoop(a, ao, s, out, oo, n);
                case SUB -> subScalarLoop(a, ao, s, out, oo, n);
                case MUL -> mulScalarLoop(a, ao, s, out, oo, n);
                case DIV -> divScalarLoop(a, ao, s, out, oo, n);
                case MAX -> maxScalarLoop(a, ao, s, out, oo, n);
                case MIN -> minScalarLoop(a, ao, s, out, oo, n);
                default -> 0;
            };
        } else {
            i = switch (op) {
                case ADD -> addScalarLoop(a, ao, s, out, oo, n);
                case MUL -> mulScalarLoop(a, ao, s, out, oo, n);
                case MAX -> maxScalarLoop(a, ao, s, out, oo, n);
                case MIN -> minScalarLoop(a, ao, s, out, oo, n);
                case SUB -> rsubScalarLoop(a, ao, s, out, oo, n);
                case DIV -> rdivScalarLoop(a, ao, s, out, oo, n);
                default -> 0;
            };
        }
        ScalarKernels.binaryScalar(op, a, ao + i, s, scalarOnRight, out, oo + i, n - i);
    }

    /** Twin of {@link ScalarKernels#reluBackward}: g where x &lt;= 0 is false, else +0 (a blend moves g's bits unchanged). */
    static void reluBackward(float[] x, int xo, float[] g, int go, float[] out, int oo, int n) {
        int i = 0;
        FloatVector zero = FloatVector.zero(F);
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            var off = FloatVector.fromArray(F, x, xo + i).compare(VectorOperators.LE, 0f);
            FloatVector.fromArray(F, g, go + i).blend(zero, off).intoArray(out, oo + i);
        }
        ScalarKernels.reluBackward(x, xo + i, g, go + i, out, oo + i, n - i);
    }

    static void addInPlace(float[] acc, int ao, float[] x, int xo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, acc, ao + i).add(FloatVector.fromArray(F, x, xo + i)).intoArray(acc, ao + i);
        }
        ScalarKernels.addInPlace(acc, ao + i, x, xo + i, n - i);
    }

    /** Same partial sums as {@link ScalarKernels#sum}: lane l of an 8-double accumulator. */
    static double sum(float[] x, int xo, int n) {
        DoubleVector acc = DoubleVector.zero(D8);
        int blocks = n / ScalarKernels.SUM_LANES * ScalarKernels.SUM_LANES;
        for (int i = 0; i < blocks; i += 8) {
            acc = acc.add((DoubleVector) FloatVector.fromArray(F8, x, xo + i).convertShape(VectorOperators.F2D, D8, 0));
        }
        double total = combine(acc);
        for (int i = blocks; i < n; i++) total += x[xo + i];
        return total;
    }

    /** ScalarKernels.combine on the lanes, without an array (reductions in optimizer steps must not allocate). */
    private static double combine(DoubleVector p) {
        return ((p.lane(0) + p.lane(4)) + (p.lane(2) + p.lane(6))) + ((p.lane(1) + p.lane(5)) + (p.lane(3) + p.lane(7)));
    }

    static double sumSquares(float[] x, int xo, int n) {
        DoubleVector acc = DoubleVector.zero(D8);
        int blocks = n / ScalarKernels.SUM_LANES * ScalarKernels.SUM_LANES;
        for (int i = 0; i < blocks; i += 8) {
            DoubleVector v = (DoubleVector) FloatVector.fromArray(F8, x, xo + i).convertShape(VectorOperators.F2D, D8, 0);
            acc = acc.add(v.mul(v));
        }
        double total = combine(acc);
        for (int i = blocks; i < n; i++) {
            double v = x[xo + i];
            total += v * v;
        }
        return total;
    }

    /** Same partial sums as {@link ScalarKernels#sumSegments}: lane l of an 8-double accumulator, plus the tail. */
    static double sumSegments(float[] x, int xo, int len, int count, int stride) {
        DoubleVector acc = DoubleVector.zero(D8);
        double tail = 0;
        int blocks = len / ScalarKernels.SUM_LANES * ScalarKernels.SUM_LANES;
        for (int c = 0; c < count; c++) {
            int base = xo + c * stride;
            for (int i = 0; i < blocks; i += 8) {
                acc = acc.add((DoubleVector) FloatVector.fromArray(F8, x, base + i).convertShape(VectorOperators.F2D, D8, 0));
            }
            for (int i = blocks; i < len; i++) tail += x[base + i];
        }
        return combine(acc) + tail;
    }

    static float max(float[] x, int xo, int n) {
        if (n < F.length()) return ScalarKernels.max(x, xo, n);
        FloatVector m = FloatVector.fromArray(F, x, xo);
        int i = F.length();
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            m = m.lanewise(VectorOperators.MAX, FloatVector.fromArray(F, x, xo + i));
        }
        float r = ScalarKernels.max(m.toArray(), 0, F.length());
        for (; i < n; i++) r = Math.max(r, x[xo + i]);
        return r;
    }

    static void sumRows(float[] x, int xo, int rows, int cols, float[] out, int oo) {
        // Per column the order is row 0, 1, 2, ... exactly as in the scalar twin.
        double[] acc = new double[cols];
        int jb = cols / 8 * 8;
        for (int r = 0; r < rows; r++) {
            int base = xo + r * cols;
            int j = 0;
            for (; j < jb; j += 8) {
                DoubleVector.fromArray(D8, acc, j)
                        .add((DoubleVector) FloatVector.fromArray(F8, x, base + j).convertShape(VectorOperators.F2D, D8, 0))
                        .intoArray(acc, j);
            }
            for (; j < cols; j++) acc[j] += x[base + j];
        }
        for (int j = 0; j < cols; j++) out[oo + j] = (float) acc[j];
    }

    // ------------------------------------------------------------------ constant-operator loops
    // Each returns how many leading elements it handled; the caller's scalar twin does the tail.

    private static int negLoop(float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) FloatVector.fromArray(F, x, xo + i).neg().intoArray(out, oo + i);
        return i;
    }

    private static int absLoop(float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) FloatVector.fromArray(F, x, xo + i).abs().intoArray(out, oo + i);
        return i;
    }

    private static int sqrtLoop(float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) FloatVector.fromArray(F, x, xo + i).sqrt().intoArray(out, oo + i);
        return i;
    }

    private static int reluLoop(float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        FloatVector zero = FloatVector.zero(F);
        // max(v, 0) keeps NaN, as the scalar twin does
        for (int bound = F.loopBound(n); i < bound; i += F.length()) FloatVector.fromArray(F, x, xo + i).max(zero).intoArray(out, oo + i);
        return i;
    }

    private static int addLoop(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, a, ao + i).add(FloatVector.fromArray(F, b, bo + i)).intoArray(out, oo + i);
        }
        return i;
    }

    private static int subLoop(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, a, ao + i).sub(FloatVector.fromArray(F, b, bo + i)).intoArray(out, oo + i);
        }
        return i;
    }

    private static int mulLoop(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, a, ao + i).mul(FloatVector.fromArray(F, b, bo + i)).intoArray(out, oo + i);
        }
        return i;
    }

    private static int divLoop(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, a, ao + i).div(FloatVector.fromArray(F, b, bo + i)).intoArray(out, oo + i);
        }
        return i;
    }

    private static int maxLoop(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, a, ao + i).max(FloatVector.fromArray(F, b, bo + i)).intoArray(out, oo + i);
        }
        return i;
    }

    private static int minLoop(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, a, ao + i).min(FloatVector.fromArray(F, b, bo + i)).intoArray(out, oo + i);
        }
        return i;
    }

    private static int addScalarLoop(float[] a, int ao, float s, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) FloatVector.fromArray(F, a, ao + i).add(s).intoArray(out, oo + i);
        return i;
    }

    private static int subScalarLoop(float[] a, int ao, float s, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) FloatVector.fromArray(F, a, ao + i).sub(s).intoArray(out, oo + i);
        return i;
    }

    private static int rsubScalarLoop(float[] a, int ao, float s, float[] out, int oo, int n) {
        int i = 0;
        FloatVector sv = FloatVector.broadcast(F, s);
        for (int bound = F.loopBound(n); i < bound; i += F.length()) sv.sub(FloatVector.fromArray(F, a, ao + i)).intoArray(out, oo + i);
        return i;
    }

    private static int mulScalarLoop(float[] a, int ao, float s, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) FloatVector.fromArray(F, a, ao + i).mul(s).intoArray(out, oo + i);
        return i;
    }

    private static int divScalarLoop(float[] a, int ao, float s, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) FloatVector.fromArray(F, a, ao + i).div(s).intoArray(out, oo + i);
        return i;
    }

    private static int rdivScalarLoop(float[] a, int ao, float s, float[] out, int oo, int n) {
        int i = 0;
        FloatVector sv = FloatVector.broadcast(F, s);
        for (int bound = F.loopBound(n); i < bound; i += F.length()) sv.div(FloatVector.fromArray(F, a, ao + i)).intoArray(out, oo + i);
        return i;
    }

    private static int maxScalarLoop(float[] a, int ao, float s, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) FloatVector.fromArray(F, a, ao + i).max(s).intoArray(out, oo + i);
        return i;
    }

    private static int minScalarLoop(float[] a, int ao, float s, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) FloatVector.fromArray(F, a, ao + i).min(s).intoArray(out, oo + i);
        return i;
    }
}
