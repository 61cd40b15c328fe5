package dev.descent.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The fused cross-entropy (plain class-index case) against the composed path, forced by class
 * weights of 1 (mathematically the same loss): the loss has the same bits, the gradient agrees to
 * float rounding, and both agree with a float64 evaluation.
 */
class FusedCrossEntropyTest {
    @Test
    void fusedLossHasTheComposedBitsAndItsGradientAgrees() {
        Generator gen = Generator.seeded(21);
        for (int[] nc : new int[][] {{128, 10}, {7, 3}, {33, 17}, {1, 2}}) {
            int n = nc[0], c = nc[1];
            Tensor x = Tensor.randn(gen, n, c).mul(3.0).detach();
            float[] labels = new float[n];
            for (int i = 0; i < n; i++) labels[i] = (i * 7 + 3) % c;
            Tensor y = Tensor.of(labels, n);
            Tensor ones = Tensor.full(1f, c);
            for (Reduction r : new Reduction[] {Reduction.MEAN, Reduction.SUM}) {
                Tensor a = x.detach().requireGrad(), b = x.detach().requireGrad(), d = x.toF64().detach().requireGrad();
                Tensor fused = new CrossEntropyLoss(null, -100, 0, r).apply(a, y);
                Tensor composed = new CrossEntropyLoss(ones, -100, 0, r).apply(b, y);
                Tensor exact = new CrossEntropyLoss(null, -100, 0, r).apply(d, y.toF64());
                assertEquals(Float.floatToRawIntBits((float) composed.item()), Float.floatToRawIntBits((float) fused.item()),
                        n + "x" + c + " " + r + " loss bits");
                fused.backward();
                composed.backward();
                exact.backward();
                float[] gf = a.grad().toFloatArray(), gc = b.grad().toFloatArray();
                double[] ge = d.grad().toDoubleArray();
                for (int i = 0; i < gf.length; i++) {
                    // An entry is (p - onehot) * scale, scale = 1/N or 1. p = exp(x - lse) in float
                    // carries the rounding of lse (|lse| up to ~15 here, ulp ~1e-6) as a relative
                    // error, so |p error| <= ~2e-6; the loss itself is checked bit for bit above.
                    double tol = 2e-6 * (r == Reduction.MEAN ? 1.0 / n : 1.0);
                    assertTrue(Math.abs(gf[i] - ge[i]) <= tol, "fused gradient " + i + ": " + gf[i] + " vs " + ge[i]);
                    assertTrue(Math.abs(gc[i] - ge[i]) <= tol, "composed gradient " + i + ": " + gc[i] + " vs " + ge[i]);
                }
            }
        }
    }

    @Test
    void float64LogitsRunTheComposedExpressionWithTheSameValue() {
        Tensor x = Tensor.randn(Generator.seeded(22), 6, 4);
        int[] t = {0, 3, 1, 2, 2, 0};
        double f32 = x.softmaxCrossEntropy(t, true).item(), f64 = x.toF64().softmaxCrossEntropy(t, true).item();
        // float32 against float64 of the same logits: a few ulps of a loss of order 1
        assertTrue(Math.abs(f32 - f64) < 1e-6, f32 + " vs " + f64);
    }
}
