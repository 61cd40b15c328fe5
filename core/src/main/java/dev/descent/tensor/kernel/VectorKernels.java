package dev.descent.tensor.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels. Each computes exactly what its {@link ScalarKernels} twin computes: lanes
 * hold independent elements, so elementwise results are identical, and reductions keep the same
 * partial sums in the same order. Exp, log, tanh, sigmoid, softplus and erf run
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
        VectorOperators.Unary vop = switch (op) {
            case NEG -> VectorOperators.NEG;
            case ABS -> VectorOperators.ABS;
            case SQRT -> VectorOperators.SQRT;
            default -> null;
        };
        if (vop == null && op != UnaryOp.RELU) {
            ScalarKernels.unary(op, x, xo, out, oo, n);
            return;
        }
        int i = 0;
        int bound = F.loopBound(n);
        if (op == UnaryOp.RELU) {
            FloatVector zero = FloatVector.zero(F);
            for (; i < bound; i += F.length()) {
                FloatVector v = FloatVector.fromArray(F, x, xo + i);
                // max(v, 0) keeps NaN, as the scalar twin does
                v.lanewise(VectorOperators.MAX, zero).intoArray(out, oo + i);
            }
        } else {
            for (; i < bound; i += F.length()) {
                FloatVector.fromArray(F, x, xo + i).lanewise(vop).intoArray(out, oo + i);
            }
        }
        ScalarKernels.unary(op, x, xo + i, out, oo + i, n - i);
    }

    private static boolean isVectorMath(UnaryOp op) {
        return op == UnaryOp.EXP || op == UnaryOp.LOG || op == UnaryOp.SIGMOID || op == UnaryOp.TANH || op == UnaryOp.SOFTPLUS
                || op == UnaryOp.ERF;
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

    private static int erfLoop(float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) VectorFloatMath.erf(FloatVector.fromArray(F, x, xo + i)).intoArray(out, oo + i);
        return i;
    }

    private static VectorOperators.Binary vectorOp(BinaryOp op) {
        return switch (op) {
            case ADD -> VectorOperators.ADD;
            case SUB -> VectorOperators.SUB;
            case MUL -> VectorOperators.MUL;
            case DIV -> VectorOperators.DIV;
            case MAX -> VectorOperators.MAX;
            case MIN -> VectorOperators.MIN;
            default -> null;
        };
    }

    static void binary(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        VectorOperators.Binary vop = vectorOp(op);
        if (vop == null) {
            ScalarKernels.binary(op, a, ao, b, bo, out, oo, n);
            return;
        }
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector.fromArray(F, a, ao + i).lanewise(vop, FloatVector.fromArray(F, b, bo + i)).intoArray(out, oo + i);
        }
        ScalarKernels.binary(op, a, ao + i, b, bo + i, out, oo + i, n - i);
    }

    static void binaryScalar(BinaryOp op, float[] a, int ao, float s, boolean scalarOnRight, float[] out, int oo, int n) {
        VectorOperators.Binary vop = vectorOp(op);
        if (vop == null) {
            ScalarKernels.binaryScalar(op, a, ao, s, scalarOnRight, out, oo, n);
            return;
        }
        FloatVector sv = FloatVector.broadcast(F, s);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, a, ao + i);
            (scalarOnRight ? v.lanewise(vop, sv) : sv.lanewise(vop, v)).intoArray(out, oo + i);
        }
        ScalarKernels.binaryScalar(op, a, ao + i, s, scalarOnRight, out, oo + i, n - i);
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
        double total = ScalarKernels.combine(acc.toArray());
        for (int i = blocks; i < n; i++) total += x[xo + i];
        return total;
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
}
