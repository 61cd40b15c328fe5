package dev.descent.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The fused MSE and BCE-with-logits (mean and sum) against the composed path (reduction NONE,
 * then mean or sum) and float64: the same loss bits, gradients to float rounding.
 */
class FusedRegressionLossTest {
    @Test
    void fusedLossesHaveTheComposedBitsAndAgreeingGradients() {
        Generator gen = Generator.seeded(41);
        for (int n : new int[] {32, 1, 7, 1000}) {
            Tensor x0 = Tensor.randn(gen, n, 1).mul(4.0).detach();
            Tensor yReal = Tensor.randn(gen, n, 1), yBinary = Tensor.rand(gen, n, 1).gt(Tensor.scalar(0.5f)).toF32();
            for (boolean mse : new boolean[] {true, false}) {
                Tensor y = mse ? yReal : yBinary;
                for (Reduction r : new Reduction[] {Reduction.MEAN, Reduction.SUM}) {
                    Loss fusedLoss = mse ? new MseLoss(r) : new BceWithLogitsLoss(null, null, r);
                    Loss perElement = mse ? new MseLoss(Reduction.NONE) : new BceWithLogitsLoss(null, null, Reduction.NONE);
                    Tensor a = x0.detach().requireGrad(), b = x0.detach().requireGrad(), d = x0.toF64().detach().requireGrad();
                    Tensor fused = fusedLoss.apply(a, y);
                    Tensor composed = r == Reduction.MEAN ? perElement.apply(b, y).mean() : perElement.apply(b, y).sum();
                    Tensor exact = fusedLoss.apply(d, y.toF64());
                    String what = (mse ? "mse " : "bce ") + r + " n=" + n;
                    assertEquals(Float.floatToRawIntBits((float) composed.item()), Float.floatToRawIntBits((float) fused.item()), what);
                    fused.backward();
                    composed.backward();
                    exact.backward();
                    float[] gf = a.grad().toFloatArray(), gc = b.grad().toFloatArray();
                    double[] ge = d.grad().toDoubleArray();
                    double scale = r == Reduction.MEAN ? 1.0 / n : 1.0;
                    for (int i = 0; i < n; i++) {
                        // |dl/dx| is at most 2|x - y| (mse, |x - y| < ~25 here) or 1 (bce), times the
                        // reduction's scale; a few float roundings give well under 1e-5 of that.
                        double tol = 1e-5 * scale * (mse ? 50 : 1);
                        assertTrue(Math.abs(gf[i] - ge[i]) <= tol, what + " fused gradient " + i + ": " + gf[i] + " vs " + ge[i]);
                        assertTrue(Math.abs(gc[i] - ge[i]) <= tol, what + " composed gradient " + i + ": " + gc[i] + " vs " + ge[i]);
                    }
                }
            }
        }
    }

    @Test
    void aTargetThatNeedsAGradientGetsOneFromMse() {
        Generator gen = Generator.seeded(42);
        Tensor x = Tensor.randn(gen, 5, 3).requireGrad(), y = Tensor.randn(gen, 5, 3).requireGrad();
        new MseLoss(Reduction.MEAN).apply(x, y).backward();
        float[] gx = x.grad().toFloatArray(), gy = y.grad().toFloatArray();
        float[] minus = new float[gx.length];
        for (int i = 0; i < gx.length; i++) minus[i] = -gx[i];
        assertArrayEquals(minus, gy);
    }
}
