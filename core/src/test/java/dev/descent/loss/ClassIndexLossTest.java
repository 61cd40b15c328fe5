package dev.descent.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.tensor.GradCheck;
import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * PyTorch's rules for the class-index losses (cross-entropy, NLL, multi-margin) beyond the fixtures: ignored targets, the weighted mean's
 * divisor, label smoothing with and without weights, spatial and unbatched inputs. Computed in
 * float64 against formulas evaluated by hand in double, so agreement is to ~1e-12; 1e-9 is
 * asserted.
 */
class ClassIndexLossTest {
    static final double TIGHT = 1e-9;
    private final Generator gen = Generator.seeded(77);

    private double[] logSoftmaxRow(double[] x, int row, int classes) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) max = Math.max(max, x[row * classes + c]);
        double s = 0;
        for (int c = 0; c < classes; c++) s += Math.exp(x[row * classes + c] - max);
        double lse = max + Math.log(s);
        double[] q = new double[classes];
        for (int c = 0; c < classes; c++) q[c] = x[row * classes + c] - lse;
        return q;
    }

    @Test
    void ignoredTargetsContributeNothingToValueOrGradient() {
        Tensor logits = GradCheck.randn(gen, 5, 4).requireGrad();
        Tensor labels = Tensor.of(new double[] {2, -100, 0, -100, 3}, 5);
        Tensor loss = Losses.crossEntropy().apply(logits, labels);
        loss.backward();

        // the same loss over the three kept rows only
        Tensor kept = Tensor.cat(java.util.List.of(logits.detach().narrow(0, 0, 1), logits.detach().narrow(0, 2, 1),
                logits.detach().narrow(0, 4, 1)), 0).requireGrad();
        Tensor keptLoss = Losses.crossEntropy().apply(kept, Tensor.of(new double[] {2, 0, 3}, 3));
        keptLoss.backward();
        assertEquals(keptLoss.item(), loss.item(), TIGHT, "mean over the kept rows (divisor 3, not 5)");

        double[] g = logits.grad().toDoubleArray(), gk = kept.grad().toDoubleArray();
        for (int c = 0; c < 4; c++) {
            assertEquals(0.0, g[4 + c], 0.0, "ignored row 1 gets no gradient");
            assertEquals(0.0, g[12 + c], 0.0, "ignored row 3 gets no gradient");
            assertEquals(gk[c], g[c], TIGHT);
            assertEquals(gk[4 + c], g[8 + c], TIGHT);
            assertEquals(gk[8 + c], g[16 + c], TIGHT);
        }
        Tensor none = Losses.crossEntropy(null, -100, 0.0, Reduction.NONE).apply(logits.detach(), labels);
        assertEquals(0.0, none.get(1), 0.0);
        assertEquals(0.0, none.get(3), 0.0);
    }

    @Test
    void allTargetsIgnoredGivesNaNMeanAndZeroSum() {
        Tensor logits = GradCheck.randn(gen, 2, 3);
        Tensor labels = Tensor.of(new double[] {-100, -100}, 2);
        assertTrue(Double.isNaN(Losses.crossEntropy().apply(logits, labels).item()), "0/0, as PyTorch");
        assertEquals(0.0, Losses.crossEntropy(null, -100, 0, Reduction.SUM).apply(logits, labels).item(), 0.0);
    }

    @Test
    void weightedMeanDividesByTheWeightsOfTheCountedTargets() {
        double[] w = {0.5, 2.0, 1.5};
        Tensor logits = GradCheck.randn(gen, 4, 3);
        int[] t = {1, 2, 1, 0};
        Tensor labels = Tensor.of(new double[] {1, 2, -7, 0}, 4); // row 2 ignored (ignoreIndex -7)
        double[] x = logits.toDoubleArray();
        double num = 0, den = 0;
        for (int i : new int[] {0, 1, 3}) {
            num += -w[t[i]] * logSoftmaxRow(x, i, 3)[t[i]];
            den += w[t[i]];
        }
        Tensor loss = Losses.crossEntropy(Tensor.of(w, 3), -7, 0.0).apply(logits, labels);
        assertEquals(num / den, loss.item(), TIGHT);
        Tensor nll = Losses.nll(Tensor.of(w, 3), -7).apply(logits.logSoftmax(1), labels);
        assertEquals(num / den, nll.item(), TIGHT, "nll of log-softmax is cross-entropy");
    }

    @Test
    void labelSmoothingWithWeightsFollowsPyTorch() {
        double e = 0.2;
        double[] w = {1.0, 3.0, 0.5, 2.0};
        Tensor logits = GradCheck.randn(gen, 3, 4);
        int[] t = {3, 0, 2};
        double[] x = logits.toDoubleArray();
        double num = 0, den = 0;
        for (int i = 0; i < 3; i++) {
            double[] q = logSoftmaxRow(x, i, 4);
            double uniform = 0;
            for (int c = 0; c < 4; c++) uniform += -w[c] * q[c];
            num += (1 - e) * w[t[i]] * -q[t[i]] + e / 4 * uniform;
            den += w[t[i]];
        }
        Tensor loss = Losses.crossEntropy(Tensor.of(w, 4), -100, e).apply(logits, Tensor.of(new double[] {3, 0, 2}, 3));
        assertEquals(num / den, loss.item(), TIGHT);
    }

    @Test
    void unweightedLabelSmoothingEqualsTheSmoothedDistribution() {
        double e = 0.3;
        Tensor logits = GradCheck.randn(gen, 4, 5);
        double[] labels = {0, 4, 2, 2};
        double[] smoothed = new double[20];
        for (int i = 0; i < 4; i++) {
            for (int c = 0; c < 5; c++) smoothed[i * 5 + c] = (c == labels[i] ? 1 - e : 0) + e / 5;
        }
        double viaIndices = Losses.crossEntropy(null, -100, e).apply(logits, Tensor.of(labels, 4)).item();
        double viaProbabilities = Losses.crossEntropy().apply(logits, Tensor.of(smoothed, 4, 5)).item();
        assertEquals(viaProbabilities, viaIndices, TIGHT);
    }

    @Test
    void probabilityTargetsWithWeightsDivideByTheSampleCount() {
        double[] w = {2.0, 0.5, 1.0};
        Tensor logits = GradCheck.randn(gen, 2, 3);
        Tensor p = GradCheck.randn(gen, 2, 3).softmax(1);
        double[] x = logits.toDoubleArray(), pv = p.toDoubleArray();
        double sum = 0;
        for (int i = 0; i < 2; i++) {
            double[] q = logSoftmaxRow(x, i, 3);
            for (int c = 0; c < 3; c++) sum += -w[c] * pv[i * 3 + c] * q[c];
        }
        assertEquals(sum / 2, Losses.crossEntropy(Tensor.of(w, 3)).apply(logits, p).item(), TIGHT);
    }

    @Test
    void spatialInputEqualsTheFlattenedPositions() {
        Tensor logits = GradCheck.randn(gen, 2, 3, 2, 2);
        Tensor labels = Tensor.of(new double[] {0, 2, 1, 1, 2, 0, 0, 1}, 2, 2, 2);
        Tensor flatLogits = logits.permute(0, 2, 3, 1).reshape(8, 3);
        Tensor flatLabels = labels.reshape(8);
        Tensor w = Tensor.of(new double[] {1, 2, 3}, 3);
        for (Reduction r : new Reduction[] {Reduction.MEAN, Reduction.SUM, Reduction.NONE}) {
            Loss loss = Losses.crossEntropy(w, 1, 0.1, r);
            Tensor spatial = loss.apply(logits, labels), flat = loss.apply(flatLogits, flatLabels);
            if (r == Reduction.NONE) assertArrayEquals(new int[] {2, 2, 2}, spatial.shape());
            assertArrayEquals(flat.toDoubleArray(), spatial.reshape(-1).toDoubleArray(), TIGHT, r.toString());
        }
    }

    @Test
    void unbatchedInputEqualsABatchOfOne() {
        Tensor logits = GradCheck.randn(gen, 5);
        Loss loss = Losses.crossEntropy(Tensor.of(new double[] {1, 2, 3, 4, 5}, 5), -100, 0.1, Reduction.NONE);
        Tensor one = loss.apply(logits, Tensor.scalar(3.0));
        assertArrayEquals(new int[0], one.shape());
        assertEquals(loss.apply(logits.reshape(1, 5), Tensor.of(new double[] {3}, 1)).item(), one.item(), TIGHT);
    }

    @Test
    void multiMarginWeightMultipliesThePoweredHinge() {
        Tensor x = Tensor.of(new double[] {0.2, 0.9, 0.1}, 1, 3);
        double[] w = {1.0, 3.0, 1.0};
        double h0 = 1 - 0.9 + 0.2, h2 = 1 - 0.9 + 0.1; // both positive (0.3 and 0.2)
        double expected = 3.0 * (h0 * h0 + h2 * h2) / 3; // w[y] * sum hinge^2 / C, not w^2
        Tensor loss = Losses.multiMargin(2, 1.0, Tensor.of(w, 3)).apply(x, Tensor.of(new double[] {1}, 1));
        assertEquals(expected, loss.item(), TIGHT);
    }
}
