package dev.descent.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.tensor.GlobalSettings;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The vector fused ReLU + 2 x 2 max pooling against the scalar loops it mirrors, bit for bit:
 * gradients by raw bits, outputs by raw bits except that any NaN equals any NaN (which NaN
 * payload Math.max passes on is not fixed even in scalar Java: interpreted and compiled code
 * differ; MaxPool2x2Test compares the same way). Values from a small set so that windows tie in
 * every arrangement, signed zeros, NaNs of two payloads, signed-zero upstream gradients, every
 * plane width the vector path takes (odd ones included) and odd heights.
 */
@ExtendWith(GlobalSettings.class)
class VectorMaxPool2x2Test {
    private static final float OTHER_NAN = Float.intBitsToFloat(0x7fc00123);

    private static float[] tied(SplittableRandom rnd, int n, double nanRate) {
        float[] pool = {-1f, -0f, 0f, 0.5f, 1f, 2f};
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            double u = rnd.nextDouble();
            v[i] = u < nanRate / 2 ? Float.NaN : u < nanRate ? OTHER_NAN : pool[rnd.nextInt(pool.length)];
        }
        return v;
    }

    @Test
    void vectorAndScalarGiveTheSameBits() {
        assertTrue(KernelMode.vectorAvailable(), "tests run with the incubator module");
        SplittableRandom rnd = new SplittableRandom(5);
        int lanes = FloatVector.SPECIES_PREFERRED.length(), widths = 0;
        for (int w = 2; w <= 4 * lanes + 1; w++) {
            if (!VectorMaxPool2x2.fits(w) && !VectorMaxPool2x2.narrow(w)) continue;
            widths++;
            for (int h : new int[] {2, 3, 6}) {
                for (double nanRate : new double[] {0, 0.1, 0.7}) {
                    int planes = 3, n = planes * h * w, outs = planes * (h / 2) * (w / 2);
                    float[] x = tied(rnd, n, nanRate), g = new float[outs];
                    for (int i = 0; i < outs; i++) g[i] = rnd.nextInt(3) == 0 ? -0f : (float) rnd.nextGaussian();
                    float[][] scalar = run(false, x, h, w, planes, g), vector = run(true, x, h, w, planes, g);
                    String what = planes + "x" + h + "x" + w + " NaN rate " + nanRate;
                    for (int i = 0; i < outs; i++) {
                        assertEquals(Float.floatToIntBits(scalar[0][i]), Float.floatToIntBits(vector[0][i]), what + ": output " + i);
                    }
                    for (int i = 0; i < n; i++) {
                        assertEquals(Float.floatToRawIntBits(scalar[1][i]), Float.floatToRawIntBits(vector[1][i]), what + ": gradient " + i);
                    }
                }
            }
        }
        assertTrue(widths >= 2, "the vector path takes some widths: " + widths);
    }

    /** Forward and backward by the vector class itself or the scalar loops; gx starts as garbage, since every element must be written. */
    private static float[][] run(boolean vector, float[] x, int h, int w, int planes, float[] g) {
        float[] out = new float[g.length], gx = new float[x.length];
        java.util.Arrays.fill(gx, 7f);
        if (vector && VectorMaxPool2x2.narrow(w)) {
            VectorMaxPool2x2.reluForwardNarrow(x, 0, h, w, planes, out, 0);
            VectorMaxPool2x2.reluBackwardNarrow(x, 0, h, w, planes, out, 0, g, 0, gx, 0);
        } else if (vector) {
            VectorMaxPool2x2.reluForward(x, 0, h, w, planes, out, 0);
            VectorMaxPool2x2.reluBackward(x, 0, h, w, planes, out, 0, g, 0, gx, 0);
        } else {
            KernelMode.setVectorized(false);
            MaxPool2x2.reluForward(x, 0, h, w, planes, out, 0);
            MaxPool2x2.reluBackward(x, 0, h, w, planes, out, 0, g, 0, gx, 0);
        }
        return new float[][] {out, gx};
    }
}
