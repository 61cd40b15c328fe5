package dev.descent.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API twin of {@link MaxPool2x2}'s fused ReLU + 2 x 2 max pooling, for planes whose
 * row of windows fills more than half a vector and at most one ({@link #fits}: 26-wide planes,
 * 13 windows a row, with 16 float lanes), or whose whole row fits in one vector (11-wide planes). The same operations per window in the same order, so
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
     * Whether planes of this width take {@link #reluForward} and {@link #reluBackward}: a row's
     * windows more than half a vector and at most one (two loads per input row); narrower ones
     * take the {@link #narrow} methods. Wider planes would need chunks, whose masks the JIT boxed
     * when chosen at run time.
     */
    static boolean fits(int w) {
        int ow = w / 2;
        return 2 * ow > L && ow <= L;
    }

    /**
     * Planes whose rows fit in one vector (w at most L, say 11): one whole-vector load per input
     * row, read past the row (lanes beyond it only feed windows that are not stored). The two-load
     * loop with an empty masked second load was slower than scalar code here; this one, per image
     * of 64 planes of 11 x 11 on one core: forward 3.4 -> 1.7 us, backward 5.8 -> 3.0 us. Callers
     * pick the narrow or the two-load methods: called from the two-load ones, the narrow loops
     * were compiled into them in some runs, too large a method for the Vector API intrinsics, and
     * the whole pooling ran on the API's Java fallbacks (CNN epochs of 19 s instead of 4.5).
     */
    static boolean narrow(int w) {
        return w >= 2 && w <= L;
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

    /**
     * See {@link MaxPool2x2#reluBackward}: every element of the planes' gx is written; for widths
     * that {@link #fits}. Each row of windows goes through three methods that pass nothing but
     * arrays ({@link #windows}, {@link #gradients}, {@link #interleave}): written as one, its
     * profiling (tier-3) code was 232-246 KB, at the size where C1 gives up on a method, and a
     * method C1 gives up on never reaches C2, so the Vector API ran its Java fallback for the rest
     * of the process (3-4.6x slower CNN epochs in 5 of 31 runs; C1CompileSizeTest keeps every
     * kernel far from that size).
     */
    static void reluBackward(float[] x, int xOff, int h, int w, int planes, float[] out, int oOff, float[] g, int gOff,
                             float[] gx, int gxOff) {
        int oh = h / 2, ow = w / 2;
        float[] rows = new float[4 * L];
        for (int plane = 0; plane < planes; plane++) {
            int base = xOff + plane * h * w, gb = gxOff + plane * h * w, ob = plane * oh * ow;
            for (int i = 0; i < oh; i++) {
                int r0 = base + 2 * i * w, o = ob + i * ow, dst = gb + 2 * i * w;
                windows(x, r0, w, rows);
                if (gradients(rows, out, oOff + o, g, gOff + o, ow)) interleave(rows, w, gx, dst);
                else MaxPool2x2.reluBackwardRow(x, r0, w, out, oOff + o, g, gOff + o, gx, dst); // a NaN maximum: rare
            }
            if ((h & 1) != 0) java.util.Arrays.fill(gx, gb + (h - 1) * w, gb + h * w, 0f);
        }
    }

    /** The relu'd window values a, b (top row), c, d (bottom row) of the row of windows at r0, into rows[0..4L). */
    private static void windows(float[] x, int r0, int w, float[] rows) {
        int r1 = r0 + w;
        VectorMask<Float> high = F.indexInRange(0, 2 * (w / 2) - L);
        FloatVector top0 = FloatVector.fromArray(F, x, r0), top1 = FloatVector.fromArray(F, x, r0 + L, high);
        FloatVector bot0 = FloatVector.fromArray(F, x, r1), bot1 = FloatVector.fromArray(F, x, r1 + L, high);
        top0.rearrange(EVEN, top1).max(ZERO).intoArray(rows, 0);
        top0.rearrange(ODD, top1).max(ZERO).intoArray(rows, L);
        bot0.rearrange(EVEN, bot1).max(ZERO).intoArray(rows, 2 * L);
        bot0.rearrange(ODD, bot1).max(ZERO).intoArray(rows, 3 * L);
    }

    /**
     * Replaces rows' a, b, c, d by the gradient each receives: 0 + g at the first equal to the
     * maximum m (d when none is), 0 elsewhere and where m is +0 (x <= 0 at the arg-max). Returns
     * false, changing nothing, when a maximum is NaN: the scalar row code applies NaN's rules.
     */
    private static boolean gradients(float[] rows, float[] out, int mo, float[] g, int go, int ow) {
        VectorMask<Float> lanes = F.indexInRange(0, ow);
        FloatVector m = FloatVector.fromArray(F, out, mo, lanes);
        if (m.test(VectorOperators.IS_NAN).anyTrue()) return false;
        FloatVector gv = ZERO.add(FloatVector.fromArray(F, g, go, lanes)); // 0 + g, as the scalar loop
        VectorMask<Float> eqA = FloatVector.fromArray(F, rows, 0).eq(m), eqB = FloatVector.fromArray(F, rows, L).eq(m);
        VectorMask<Float> eqC = FloatVector.fromArray(F, rows, 2 * L).eq(m);
        VectorMask<Float> selA = eqA, selB = eqB.andNot(eqA), selC = eqC.andNot(eqA).andNot(eqB);
        VectorMask<Float> selD = selA.or(selB).or(selC).not();
        VectorMask<Float> keep = m.compare(VectorOperators.NE, 0f);
        ZERO.blend(gv, selA.and(keep)).intoArray(rows, 0);
        ZERO.blend(gv, selB.and(keep)).intoArray(rows, L);
        ZERO.blend(gv, selC.and(keep)).intoArray(rows, 2 * L);
        ZERO.blend(gv, selD.and(keep)).intoArray(rows, 3 * L);
        return true;
    }

    /** rows' four gradients interleaved back into the two gradient rows at dst: a, b, a, b, ... and c, d, c, d, ... */
    private static void interleave(float[] rows, int w, float[] gx, int dst) {
        VectorMask<Float> high = F.indexInRange(0, 2 * (w / 2) - L);
        FloatVector ga = FloatVector.fromArray(F, rows, 0), gb = FloatVector.fromArray(F, rows, L);
        FloatVector gc = FloatVector.fromArray(F, rows, 2 * L), gd = FloatVector.fromArray(F, rows, 3 * L);
        ga.rearrange(ZIP_LO, gb).intoArray(gx, dst);
        ga.rearrange(ZIP_HI, gb).intoArray(gx, dst + L, high);
        gc.rearrange(ZIP_LO, gd).intoArray(gx, dst + w);
        gc.rearrange(ZIP_HI, gd).intoArray(gx, dst + w + L, high);
        if ((w & 1) != 0) {
            gx[dst + w - 1] = 0f;
            gx[dst + 2 * w - 1] = 0f;
        }
    }

    /** {@link #reluForward} for {@link #narrow} planes: lane j of EVEN / ODD of one row is its x[2j] / x[2j+1]. */
    static void reluForwardNarrow(float[] x, int xOff, int h, int w, int planes, float[] out, int oOff) {
        int oh = h / 2, ow = w / 2, lastLoad = x.length - L;
        VectorMask<Float> lanes = F.indexInRange(0, ow), rowLanes = F.indexInRange(0, w);
        for (int plane = 0; plane < planes; plane++) {
            int base = xOff + plane * h * w, ob = oOff + plane * oh * ow;
            for (int i = 0; i < oh; i++) {
                int r0 = base + 2 * i * w, r1 = r0 + w;
                // Whole vectors, masked only where one would run past the array; written out here,
                // since a helper returning vectors made the JIT box them in some runs (4x slower epochs).
                FloatVector top = r0 <= lastLoad ? FloatVector.fromArray(F, x, r0) : FloatVector.fromArray(F, x, r0, rowLanes);
                FloatVector bot = r1 <= lastLoad ? FloatVector.fromArray(F, x, r1) : FloatVector.fromArray(F, x, r1, rowLanes);
                FloatVector a = top.rearrange(EVEN, ZERO).max(ZERO), b = top.rearrange(ODD, ZERO).max(ZERO);
                FloatVector c = bot.rearrange(EVEN, ZERO).max(ZERO), d = bot.rearrange(ODD, ZERO).max(ZERO);
                a.max(b).max(c.max(d)).intoArray(out, ob + i * ow, lanes);
            }
        }
    }

    /**
     * {@link #reluBackward} for {@link #narrow} planes, through the same {@link #gradients}. The
     * window maxima m are loaded with lanes past ow at +0, so those lanes keep no gradient and the
     * interleaved row's lanes past 2*ow (an odd last column) come out 0: each input row is one
     * store of w lanes.
     */
    static void reluBackwardNarrow(float[] x, int xOff, int h, int w, int planes, float[] out, int oOff, float[] g, int gOff,
                                   float[] gx, int gxOff) {
        int oh = h / 2, ow = w / 2;
        float[] rows = new float[4 * L];
        for (int plane = 0; plane < planes; plane++) {
            int base = xOff + plane * h * w, gb = gxOff + plane * h * w, ob = plane * oh * ow;
            for (int i = 0; i < oh; i++) {
                int r0 = base + 2 * i * w, o = ob + i * ow, dst = gb + 2 * i * w;
                windowsNarrow(x, r0, w, rows);
                if (gradients(rows, out, oOff + o, g, gOff + o, ow)) interleaveNarrow(rows, w, gx, dst);
                else MaxPool2x2.reluBackwardRow(x, r0, w, out, oOff + o, g, gOff + o, gx, dst); // a NaN maximum: rare
            }
            if ((h & 1) != 0) java.util.Arrays.fill(gx, gb + (h - 1) * w, gb + h * w, 0f);
        }
    }

    /** {@link #windows} for a row that fits one vector: whole-vector loads, masked only where one would run past x. */
    private static void windowsNarrow(float[] x, int r0, int w, float[] rows) {
        int r1 = r0 + w, lastLoad = x.length - L;
        VectorMask<Float> rowLanes = F.indexInRange(0, w);
        FloatVector top = r0 <= lastLoad ? FloatVector.fromArray(F, x, r0) : FloatVector.fromArray(F, x, r0, rowLanes);
        FloatVector bot = r1 <= lastLoad ? FloatVector.fromArray(F, x, r1) : FloatVector.fromArray(F, x, r1, rowLanes);
        top.rearrange(EVEN, ZERO).max(ZERO).intoArray(rows, 0);
        top.rearrange(ODD, ZERO).max(ZERO).intoArray(rows, L);
        bot.rearrange(EVEN, ZERO).max(ZERO).intoArray(rows, 2 * L);
        bot.rearrange(ODD, ZERO).max(ZERO).intoArray(rows, 3 * L);
    }

    /** {@link #interleave} for a row that fits one vector: one store of w lanes per gradient row. */
    private static void interleaveNarrow(float[] rows, int w, float[] gx, int dst) {
        VectorMask<Float> rowLanes = F.indexInRange(0, w);
        FloatVector ga = FloatVector.fromArray(F, rows, 0), gb = FloatVector.fromArray(F, rows, L);
        FloatVector gc = FloatVector.fromArray(F, rows, 2 * L), gd = FloatVector.fromArray(F, rows, 3 * L);
        ga.rearrange(ZIP_LO, gb).intoArray(gx, dst, rowLanes);
        gc.rearrange(ZIP_LO, gd).intoArray(gx, dst + w, rowLanes);
    }
}
