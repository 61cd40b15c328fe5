package dev.descent.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API twin of {@link MaxPool2x2}'s fused ReLU + 2 x 2 max pooling, for planes whose
 * row of windows fills more than half a vector and at most one ({@link #fits}: 26-wide planes,
 * 13 windows a row, with 16 float lanes). The same operations per window in the same order, so
 * the same bits (a NaN maximum is a NaN, its payload not fixed, as with Math.max in scalar code).
 * A window row's pairs {@code (x[2j], x[2j+1])}, read as two vectors, are split into an even and
 * an odd vector by a two-vector rearrange, so lane j holds window j's a and b (top row) or c and
 * d (bottom row):
 * <pre>
 *   out = max(max(relu a, relu b), max(relu c, relu d))
 *   gx  = 0 + g at the arg-max (first of a, b, c, d equal to out; last NaN if out is NaN),
 *         0 elsewhere and where out is +0
 * </pre>
 * and the backward's four lanes are interleaved back the same way.
 */
final class VectorMaxPool2x2 {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    private static final FloatVector ZERO = FloatVector.zero(F);
    /** Lane k takes lane 2k of (first, second) read as one 2L-lane row: the pairs' first elements. */
    private static final VectorShuffle<Float> EVEN = shuffle(0);
    private static final VectorShuffle<Float> ODD = shuffle(1);
    /** Lanes 0..L-1 and L..2L-1 of the interleaving of (first, second): first[k/2] at even k, second[k/2] at odd k. */
    private static final VectorShuffle<Float> ZIP_LO = zip(0);
    private static final VectorShuffle<Float> ZIP_HI = zip(L / 2);

    private VectorMaxPool2x2() {}

    /** Indexes at or past L select from the rearrange's second vector (at index - L). */
    private static VectorShuffle<Float> shuffle(int parity) {
        int[] s = new int[L];
        for (int k = 0; k < L; k++) s[k] = 2 * k + parity;
        return VectorShuffle.fromArray(F, s, 0);
    }

    private static VectorShuffle<Float> zip(int from) {
        int[] s = new int[L];
        for (int k = 0; k < L; k++) s[k] = (k & 1) == 0 ? from + k / 2 : L + from + k / 2;
        return VectorShuffle.fromArray(F, s, 0);
    }

    /**
     * Whether planes of this width take this path: a row's windows more than half a vector and
     * at most one, so every row is exactly two loads per input row. Narrower planes (11 wide,
     * 5 windows) measured slower than the scalar loop with empty second loads; wider ones would
     * need chunks, whose masks the JIT boxed when chosen at run time.
     */
    static boolean fits(int w) {
        int ow = w / 2;
        return 2 * ow > L && ow <= L;
    }

    /** See {@link MaxPool2x2#reluForward}; for widths that {@link #fits}. */
    static void reluForward(float[] x, int xOff, int h, int w, int planes, float[] out, int oOff) {
        int oh = h / 2, ow = w / 2;
        // masks made once, as locals the JIT keeps in mask registers; straight-line code, since
        // vectors and masks passed between methods were boxed (100 times slower in a first try)
        VectorMask<Float> lanes = F.indexInRange(0, ow), high = F.indexInRange(0, 2 * ow - L);
        for (int plane = 0; plane < planes; plane++) {
            int base = xOff + plane * h * w, ob = oOff + plane * oh * ow;
            for (int i = 0; i < oh; i++) {
                int r0 = base + 2 * i * w, r1 = r0 + w;
                FloatVector top0 = FloatVector.fromArray(F, x, r0), top1 = FloatVector.fromArray(F, x, r0 + L, high);
                FloatVector bot0 = FloatVector.fromArray(F, x, r1), bot1 = FloatVector.fromArray(F, x, r1 + L, high);
                FloatVector a = top0.rearrange(EVEN, top1).max(ZERO), b = top0.rearrange(ODD, top1).max(ZERO);
                FloatVector c = bot0.rearrange(EVEN, bot1).max(ZERO), d = bot0.rearrange(ODD, bot1).max(ZERO);
                a.max(b).max(c.max(d)).intoArray(out, ob + i * ow, lanes);
            }
        }
    }

    /** See {@link MaxPool2x2#reluBackward}: every element of the planes' gx is written; for widths that {@link #fits}. */
    static void reluBackward(float[] x, int xOff, int h, int w, int planes, float[] out, int oOff, float[] g, int gOff,
                             float[] gx, int gxOff) {
        int oh = h / 2, ow = w / 2;
        VectorMask<Float> lanes = F.indexInRange(0, ow), high = F.indexInRange(0, 2 * ow - L);
        for (int plane = 0; plane < planes; plane++) {
            int base = xOff + plane * h * w, gb = gxOff + plane * h * w, ob = plane * oh * ow;
            for (int i = 0; i < oh; i++) {
                int r0 = base + 2 * i * w, r1 = r0 + w, o = ob + i * ow, dst = gb + 2 * i * w;
                FloatVector m = FloatVector.fromArray(F, out, oOff + o, lanes);
                FloatVector gv = ZERO.add(FloatVector.fromArray(F, g, gOff + o, lanes)); // 0 + g, as the scalar loop
                FloatVector top0 = FloatVector.fromArray(F, x, r0), top1 = FloatVector.fromArray(F, x, r0 + L, high);
                FloatVector bot0 = FloatVector.fromArray(F, x, r1), bot1 = FloatVector.fromArray(F, x, r1 + L, high);
                FloatVector a = top0.rearrange(EVEN, top1).max(ZERO), b = top0.rearrange(ODD, top1).max(ZERO);
                FloatVector c = bot0.rearrange(EVEN, bot1).max(ZERO), d = bot0.rearrange(ODD, bot1).max(ZERO);
                // the first of a, b, c, d equal to m; d when none is (m NaN, or d the maximum)
                VectorMask<Float> eqA = a.eq(m), eqB = b.eq(m), eqC = c.eq(m);
                VectorMask<Float> selA = eqA, selB = eqB.andNot(eqA), selC = eqC.andNot(eqA).andNot(eqB);
                // m NaN: the last NaN of d, c, b, a
                VectorMask<Float> nanM = m.test(VectorOperators.IS_NAN);
                if (nanM.anyTrue()) {
                    VectorMask<Float> nanD = d.test(VectorOperators.IS_NAN), nanC = c.test(VectorOperators.IS_NAN).andNot(nanD);
                    VectorMask<Float> nanB = b.test(VectorOperators.IS_NAN).andNot(nanD).andNot(nanC);
                    VectorMask<Float> nanA = nanD.or(nanC).or(nanB).not();
                    selA = selA.andNot(nanM).or(nanA.and(nanM));
                    selB = selB.andNot(nanM).or(nanB.and(nanM));
                    selC = selC.andNot(nanM).or(nanC.and(nanM));
                }
                VectorMask<Float> selD = selA.or(selB).or(selC).not();
                // the relu gradient: 0 where the window's maximum is +0 (x <= 0 at the arg-max)
                VectorMask<Float> keep = m.compare(VectorOperators.NE, 0f);
                FloatVector ga = ZERO.blend(gv, selA.and(keep)), gbv = ZERO.blend(gv, selB.and(keep));
                FloatVector gc = ZERO.blend(gv, selC.and(keep)), gd = ZERO.blend(gv, selD.and(keep));
                // interleaved back: the top row a, b, a, b, ... and the bottom row c, d, ...
                ga.rearrange(ZIP_LO, gbv).intoArray(gx, dst);
                ga.rearrange(ZIP_HI, gbv).intoArray(gx, dst + L, high);
                gc.rearrange(ZIP_LO, gd).intoArray(gx, dst + w);
                gc.rearrange(ZIP_HI, gd).intoArray(gx, dst + w + L, high);
                if ((w & 1) != 0) {
                    gx[dst + w - 1] = 0f;
                    gx[dst + 2 * w - 1] = 0f;
                }
            }
            if ((h & 1) != 0) java.util.Arrays.fill(gx, gb + (h - 1) * w, gb + h * w, 0f);
        }
    }
}
