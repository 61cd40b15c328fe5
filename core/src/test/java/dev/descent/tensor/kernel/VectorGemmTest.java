package dev.descent.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.tensor.GlobalSettings;
import dev.descent.tensor.KernelMatrix;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * The Vector API matrix multiply against its definition: bit-identical to {@link ScalarGemm} for
 * every layout, shape and thread count, and within the rounding-error bound of a double-precision
 * reference.
 */
@ExtendWith(GlobalSettings.class)
class VectorGemmTest {
    @BeforeEach
    void save() {
        assertTrue(KernelMode.vectorAvailable(), "the build runs tests with --add-modules jdk.incubator.vector; the module is missing");
    }

    /**
     * Shapes chosen to hit every edge: 1, odd sizes, one below/at/above the register tile (MR rows,
     * NR = 4 vectors of columns, and the narrow tile's 8 rows), the vector width, and the cache
     * blocks (KC, MC, NC), so that the partial micro-tiles, the partial packed panels and the
     * chain carried across depth blocks are all exercised.
     */
    private static List<int[]> shapes() {
        int mr = VectorGemm.MR, nr = VectorGemm.NR, lanes = GemmMicroKernel.L;
        List<int[]> s = new ArrayList<>();
        s.add(new int[] {1, 1, 1});
        s.add(new int[] {1, 1, 1000});
        s.add(new int[] {1, 300, 200});
        s.add(new int[] {300, 1, 200});
        // the one-output and one-row cases of the scalar kernel (four rows or links per pass) and their remainders
        s.add(new int[] {31, 1, 2});
        s.add(new int[] {6, 1, 5});
        s.add(new int[] {1, 2, 33});
        s.add(new int[] {1, 3, 30});
        s.add(new int[] {mr - 1, nr - 1, 3});
        s.add(new int[] {mr, nr, 64});
        s.add(new int[] {mr + 1, nr + 1, 65});
        s.add(new int[] {7, lanes + 3, 33});
        s.add(new int[] {13, 2 * nr + lanes - 1, 129});
        s.add(new int[] {33, 100, VectorGemm.KC - 1});
        s.add(new int[] {9, 70, VectorGemm.KC + 1});
        s.add(new int[] {VectorGemm.MC + 3, 40, 21});
        s.add(new int[] {17, VectorGemm.NC + 5, 19});
        s.add(new int[] {VectorGemm.MC + 1, VectorGemm.NC + nr + 3, 2 * VectorGemm.KC + 7});
        // Narrow C (at most NR/2 columns) runs the 8-row x 1-vector tile; NR/2 + 1 the wide one.
        s.add(new int[] {9, nr / 2, 300});
        s.add(new int[] {13, nr / 2 + 1, 40});
        s.add(new int[] {130, 10, 257});
        s.add(new int[] {17, lanes - 1, VectorGemm.KC + 1});
        s.add(new int[] {VectorGemm.MC + 5, lanes + 1, 33});
        Random rnd = new Random(20261123);
        for (int t = 0; t < 24; t++) {
            s.add(new int[] {1 + rnd.nextInt(150), 1 + rnd.nextInt(200), 1 + rnd.nextInt(700)});
        }
        return s;
    }

    private static void assertBitsEqual(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            // floatToIntBits: -0 and +0 differ, all NaNs (the untouched padding) compare equal.
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                throw new AssertionError(what + ": index " + i + " expected " + expected[i] + " but was " + actual[i]);
            }
        }
    }

    @Test
    void everyPathMatchesScalarBitForBit() {
        Random rnd = new Random(42);
        KernelMode.setVectorized(true);
        Parallel.setThreads(2);
        for (int[] s : shapes()) {
            for (int layout = 0; layout < 8; layout++) {
                GemmProblem p = new GemmProblem(rnd, s[0], s[1], s[2], (layout & 1) != 0, (layout & 2) != 0, (layout & 4) != 0);
                float[] expected = p.freshC();
                p.runScalar(expected);
                float[] viaGemm = p.freshC();
                p.runGemm(viaGemm);
                assertBitsEqual(expected, viaGemm, "Gemm.sgemm " + p);
                // Force both vector paths whatever the size-based choice would be.
                float[] blocked = p.freshC();
                p.runBlocked(blocked);
                assertBitsEqual(expected, blocked, "blocked " + p);
                float[] direct = p.freshC();
                p.runDirect(direct);
                assertBitsEqual(expected, direct, "direct " + p);
            }
        }
    }

    /**
     * A product with op(B) packed once ({@link Gemm#packB}, what the recurrent layers reuse over
     * their steps) gives the scalar definition's bits for every shape and layout, on 1, 2 and 3
     * threads (both thread splits, narrow and wide tiles, partial panels, depth blocks), all from
     * the same packing.
     */
    @Test
    void aPackedOperandGivesTheScalarBits() {
        Random rnd = new Random(43);
        KernelMode.setVectorized(true);
        int packedCount = 0;
        for (int[] s : shapes()) {
            for (int layout = 0; layout < 8; layout++) {
                GemmProblem p = new GemmProblem(rnd, s[0], s[1], s[2], (layout & 1) != 0, (layout & 2) != 0, (layout & 4) != 0);
                float[] expected = p.freshC();
                p.runScalar(expected);
                Gemm.PackedB packed = Gemm.packB(p.transB, p.k, p.n, p.b, p.bOff, p.ldb);
                if (packed.panels != null) packedCount++;
                for (int threads : KernelMatrix.THREADS) {
                    Parallel.setThreads(threads);
                    float[] c = p.freshC();
                    Gemm.sgemm(p.transA, p.m, p.a, p.aOff, p.lda, packed, c, p.cOff, p.ldc, p.accumulate);
                    assertBitsEqual(expected, c, "packed B, " + threads + " threads, " + p);
                }
            }
        }
        // every shape but the few below KernelMode's small size took the packed path
        assertTrue(packedCount >= 8 * (shapes().size() - 8), "packed " + packedCount);
    }

    @Test
    void specialValuesAndSignedZerosMatchScalar() {
        // Zeros of both signs, infinities and NaN: the vector chain must start from +0 as the
        // scalar one does (fma(-1, 0, +0) = +0, while a chain seeded with the first product gives -0),
        // and zero padding of partial tiles must not leak NaN from inf * 0 into stored elements.
        float[] pool = {0f, -0f, 1f, -1f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 2.5f, -3e38f, 1e-45f};
        Random rnd = new Random(7);
        KernelMode.setVectorized(true);
        for (int[] s : new int[][] {{5, 67, 9}, {37, 130, 300}, {4, 64, 1}}) {
            for (int layout = 0; layout < 8; layout++) {
                GemmProblem p = new GemmProblem(rnd, s[0], s[1], s[2], (layout & 1) != 0, (layout & 2) != 0, (layout & 4) != 0);
                replaceValues(p.a, pool, rnd);
                replaceValues(p.b, pool, rnd);
                float[] expected = p.freshC();
                p.runScalar(expected);
                float[] blocked = p.freshC();
                p.runBlocked(blocked);
                assertBitsEqual(expected, blocked, "blocked " + p);
                float[] direct = p.freshC();
                p.runDirect(direct);
                assertBitsEqual(expected, direct, "direct " + p);
            }
        }
    }

    private static void replaceValues(float[] x, float[] pool, Random rnd) {
        // Only some elements, so many outputs stay finite and the comparison is not all-NaN.
        for (int i = 0; i < x.length; i++) {
            if (!Float.isNaN(x[i]) && rnd.nextInt(8) == 0) x[i] = pool[rnd.nextInt(pool.length)];
            else if (!Float.isNaN(x[i]) && rnd.nextBoolean()) x[i] = rnd.nextBoolean() ? 0f : -0f;
        }
    }

    /** resultDoesNotDependOnThreadCount's results on one thread, by problem. */
    private static final Map<String, float[]> ONE_THREAD = new HashMap<>();

    @ParameterizedTest
    @ArgumentsSource(KernelMatrix.Threads.class)
    void resultDoesNotDependOnThreadCount(int threads) {
        Random rnd = new Random(99);
        KernelMode.setVectorized(true);
        // Large enough that 2 and 3 threads really split the work (see VectorGemm.PARALLEL_GRAIN),
        // with splits along rows (tall C) and along columns (wide C), and a partial edge everywhere.
        int nr = VectorGemm.NR, mr = VectorGemm.MR;
        // Sized from NR so the split directions hold at any vector width.
        int[][] sizes = {{301, nr + 13, 515}, {45, 5 * nr + 13, 1000}, {128, 256, 784}, {603, 10, 1200}};
        assertTrue(!VectorGemm.splitColumns(2, (301 + mr - 1) / mr, 3), "tall C should split rows");
        assertTrue(VectorGemm.splitColumns(6, (45 + mr - 1) / mr, 3), "wide C should split columns");
        for (int[] s : sizes) {
            assertTrue((long) s[0] * s[1] * s[2] >= 3 * VectorGemm.PARALLEL_GRAIN, "too small to use 3 threads");
            for (int layout = 0; layout < 8; layout++) {
                GemmProblem p = new GemmProblem(rnd, s[0], s[1], s[2], (layout & 1) != 0, (layout & 2) != 0, (layout & 4) != 0);
                // The same problems in every cell (the same seed), so one thread's result is computed once.
                float[] one = ONE_THREAD.computeIfAbsent(p.toString(), k -> KernelMatrix.in(true, 1, () -> {
                    float[] c = p.freshC();
                    p.runGemm(c);
                    return c;
                }));
                float[] many = KernelMatrix.in(true, threads, () -> {
                    float[] c = p.freshC();
                    p.runGemm(c);
                    return c;
                });
                assertBitsEqual(one, many, threads + " threads vs 1, " + p);
            }
        }
    }

    @Test
    void staysWithinTheRoundingBoundOfADoubleReference() {
        // A chain of k fused multiply-adds rounds k times, each with relative error at most
        // u = 2^-24, so |computed - exact| <= gamma_k * (|c0| + sum_p |a_ip| |b_pj|) with
        // gamma_k = k u / (1 - k u) (Higham, Accuracy and Stability of Numerical Algorithms,
        // 2nd ed., section 3.1). That is a rigorous worst case, not a loose guess; the double
        // reference itself is off by about 2^-53 relative, far below it. The products' signs are
        // random, so a dropped, doubled or misplaced term exceeds the bound by orders of magnitude.
        Random rnd = new Random(5);
        KernelMode.setVectorized(true);
        Parallel.setThreads(2);
        double u = Math.scalb(1.0, -24);
        for (int[] s : new int[][] {{64, 256, 1000}, {33, 129, 517}, {200, 70, 1300}}) {
            for (int layout = 0; layout < 8; layout++) {
                GemmProblem p = new GemmProblem(rnd, s[0], s[1], s[2], (layout & 1) != 0, (layout & 2) != 0, (layout & 4) != 0);
                float[] c = p.freshC();
                p.runGemm(c);
                double gamma = p.k * u / (1 - p.k * u);
                double worstRatio = 0;
                for (int i = 0; i < p.m; i++) {
                    for (int j = 0; j < p.n; j++) {
                        double start = p.accumulate ? p.c0[p.cOff + i * p.ldc + j] : 0;
                        double exact = start, magnitude = Math.abs(start);
                        for (int q = 0; q < p.k; q++) {
                            double prod = (double) p.a(i, q) * p.b(q, j);
                            exact += prod;
                            magnitude += Math.abs(prod);
                        }
                        double err = Math.abs(c[p.cOff + i * p.ldc + j] - exact);
                        double bound = gamma * magnitude;
                        if (!(err <= bound)) {
                            throw new AssertionError(p + " at (" + i + "," + j + "): error " + err + " exceeds " + bound);
                        }
                        worstRatio = Math.max(worstRatio, err / bound);
                    }
                }
                // Random signs make errors grow like sqrt(k), not k: far from the worst case.
                assertTrue(worstRatio < 0.25, p + ": worst error/bound " + worstRatio);
            }
        }
    }

    @Test
    void emptyDepthZeroesOrKeepsC() {
        KernelMode.setVectorized(true);
        for (boolean accumulate : new boolean[] {false, true}) {
            GemmProblem p = new GemmProblem(new Random(3), 5, 70, 0, false, false, accumulate);
            float[] expected = p.freshC();
            p.runScalar(expected);
            float[] actual = p.freshC();
            p.runGemm(actual);
            assertBitsEqual(expected, actual, "k=0 " + p);
        }
    }
}
