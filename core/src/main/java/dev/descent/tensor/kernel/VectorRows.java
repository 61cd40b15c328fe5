package dev.descent.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Copies and adds of short contiguous runs, one vector (the last one masked) at a time: the runs
 * of im2col and col2im are as short as a feature map's row (11 floats for a 13 x 13 map and a
 * 3 x 3 kernel), where a System.arraycopy call or a scalar loop costs more than the data. Plain
 * copies and one add per element, so the scalar twins ({@code System.arraycopy} and the loop
 * {@code dst[i] += src[i]}) give the same bits.
 */
final class VectorRows {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorRows() {}

    /** dst[d..d+n) = src[s..s+n). */
    static void copy(float[] src, int s, float[] dst, int d, int n) {
        int i = 0;
        for (; i + L <= n; i += L) FloatVector.fromArray(S, src, s + i).intoArray(dst, d + i);
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, src, s + i, m).intoArray(dst, d + i, m);
        }
    }

    /** dst[d..d+n) += src[s..s+n). */
    static void add(float[] src, int s, float[] dst, int d, int n) {
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(S, dst, d + i).add(FloatVector.fromArray(S, src, s + i)).intoArray(dst, d + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, dst, d + i, m).add(FloatVector.fromArray(S, src, s + i, m)).intoArray(dst, d + i, m);
        }
    }
}
