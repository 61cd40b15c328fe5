package dev.descent.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Vector row copies and adds give the bits of System.arraycopy and of the scalar add loop, and touch nothing else. */
class VectorRowsTest {
    @Test
    void copyAndAddMatchTheirScalarTwinsForEveryLength() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int n = 0; n <= 70; n++) {
            int s = rnd.nextInt(5), d = rnd.nextInt(5);
            float[] src = new float[s + n + 3], base = new float[d + n + 3];
            for (int i = 0; i < src.length; i++) src[i] = (float) rnd.nextGaussian();
            for (int i = 0; i < base.length; i++) base[i] = (float) rnd.nextGaussian();
            float[] expectCopy = base.clone(), gotCopy = base.clone();
            System.arraycopy(src, s, expectCopy, d, n);
            VectorRows.copy(src, s, gotCopy, d, n);
            assertArrayEquals(expectCopy, gotCopy, "copy n=" + n);
            float[] expectAdd = base.clone(), gotAdd = base.clone();
            for (int i = 0; i < n; i++) expectAdd[d + i] += src[s + i];
            VectorRows.add(src, s, gotAdd, d, n);
            assertArrayEquals(expectAdd, gotAdd, "add n=" + n);
        }
    }
}
