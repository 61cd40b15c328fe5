package dev.descent.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The small-problem path of {@link VectorGemm}: no packing, no blocking, no threads, because for
 * tiny multiplies (a few thousand multiply-adds, common in small training steps) the fixed cost
 * of packing and forking exceeds the arithmetic.
 *
 * <p>When B is not transposed, a row of C is computed a vector of columns at a time: one
 * accumulator per vector runs the chain over p in increasing order, broadcasting op(A)[i][p] and
 * loading the contiguous row segment B[p][j..j+L). Lanes are independent chains, so the result is
 * {@link ScalarGemm}'s bits. With transposed B the columns of op(B) are strided in memory and the
 * scalar definition is used as is.
 */
final class GemmDirect {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private GemmDirect() {}

    static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float[] c, int cOff, int ldc, boolean accumulate) {
        if (transB) {
            ScalarGemm.sgemm(transA, true, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        // Stride between consecutive p of one row of op(A), and between consecutive rows.
        int aStepP = transA ? lda : 1, aStepI = transA ? 1 : lda;
        for (int i = 0; i < m; i++) {
            int aRow = aOff + i * aStepI, cRow = cOff + i * ldc;
            for (int j = 0; j < n; j += L) {
                VectorMask<Float> mask = S.indexInRange(j, n);
                FloatVector acc = accumulate ? FloatVector.fromArray(S, c, cRow + j, mask) : FloatVector.zero(S);
                for (int p = 0, ai = aRow, bi = bOff + j; p < k; p++, ai += aStepP, bi += ldb) {
                    acc = FloatVector.broadcast(S, a[ai]).fma(FloatVector.fromArray(S, b, bi, mask), acc);
                }
                acc.intoArray(c, cRow + j, mask);
            }
        }
    }
}
