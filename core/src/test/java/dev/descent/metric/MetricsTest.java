package dev.descent.metric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Metric values on small cases worked out by hand (the arithmetic is in the comments), so each
 * expected number can be checked without running anything.
 */
class MetricsTest {
    // 6 examples, 3 classes. Predictions (arg-max): 0, 1, 1, 2, 2, 0; truth: 0, 1, 2, 2, 2, 1.
    private static final Tensor OUT = Tensor.of(new float[] {
            5, 1, 0,
            0, 3, 1,
            0, 2, 1,
            0, 0, 4,
            1, 0, 2,
            3, 2, 0}, 6, 3);
    private static final Tensor Y = Tensor.vector(0, 1, 2, 2, 2, 1);

    @Test
    void confusionMatrixAndPerClassMeasures() {
        ConfusionMatrix c = ConfusionMatrix.of(OUT, Y);
        assertArrayEquals(new long[] {1, 0, 0}, c.counts()[0]);
        assertArrayEquals(new long[] {1, 1, 0}, c.counts()[1]);
        assertArrayEquals(new long[] {0, 1, 2}, c.counts()[2]);
        // class 1: TP 1, predicted 2, actual 2
        assertEquals(0.5, c.precision(1));
        assertEquals(0.5, c.recall(1));
        // class 2: precision 2/2, recall 2/3, F1 = 2*(1*2/3)/(1+2/3) = 0.8
        assertEquals(0.8, c.f1(2), 1e-12);
    }

    @Test
    void averagedMeasures() {
        assertEquals(4.0 / 6, Metrics.accuracy().compute(OUT, Y), 1e-12);
        // precision per class: 1/2, 1/2, 2/2 -> macro 2/3; weighted by support (1,2,3): (0.5+1+3)/6 = 0.75
        assertEquals(2.0 / 3, Metrics.precision(Average.MACRO).compute(OUT, Y), 1e-12);
        assertEquals(0.75, Metrics.precision(Average.WEIGHTED).compute(OUT, Y), 1e-12);
        // recall per class: 1, 1/2, 2/3 -> macro 13/18
        assertEquals(13.0 / 18, Metrics.recall(Average.MACRO).compute(OUT, Y), 1e-12);
        // F1 per class: 2/3, 1/2, 4/5 -> macro (2/3+1/2+4/5)/3
        assertEquals((2.0 / 3 + 0.5 + 0.8) / 3, Metrics.f1(Average.MACRO).compute(OUT, Y), 1e-12);
        assertEquals(4.0 / 6, Metrics.f1(Average.MICRO).compute(OUT, Y), 1e-12);
    }

    @Test
    void topK() {
        // top-2: the two misses of arg-max (example 2: truth 2 ranks second; example 5: truth 1 ranks second) become hits
        assertEquals(1.0, Metrics.topKAccuracy(2).compute(OUT, Y), 1e-12);
        assertEquals(4.0 / 6, Metrics.topKAccuracy(1).compute(OUT, Y), 1e-12);
    }

    @Test
    void binaryRocAucCountsPairsAndTies() {
        // positives score 0.9, 0.4; negatives 0.8, 0.4, 0.1: pairs won 1+1+1 (0.9) + 0+0.5+1 (0.4) = 4.5 of 6
        Tensor scores = Tensor.vector(0.9f, 0.4f, 0.8f, 0.4f, 0.1f).reshape(5, 1);
        Tensor y = Tensor.vector(1, 1, 0, 0, 0);
        assertEquals(0.75, Metrics.rocAuc().compute(scores, y), 1e-12);
    }

    @Test
    void oneVsRestRocAucIsOneForPerfectSeparation() {
        Tensor out = Tensor.of(new float[] {9, 0, 0, 0, 9, 0, 0, 0, 9, 8, 1, 0}, 4, 3);
        assertEquals(1.0, Metrics.rocAuc().compute(out, Tensor.vector(0, 1, 2, 0)), 1e-12);
    }

    @Test
    void regression() {
        Tensor pred = Tensor.vector(2, 4, 6), y = Tensor.vector(1, 4, 8);
        // errors 1, 0, -2
        assertEquals(5.0 / 3, Metrics.mse().compute(pred, y), 1e-12);
        assertEquals(1.0, Metrics.mae().compute(pred, y), 1e-12);
        assertEquals(Math.sqrt(5.0 / 3), Metrics.rmse().compute(pred, y), 1e-12);
        // mean 13/3; SS_tot = (10/3)^2 + (1/3)^2 + (11/3)^2 = 222/9; R2 = 1 - 5/(222/9)
        assertEquals(1 - 5 / (222.0 / 9), Metrics.r2().compute(pred, y), 1e-12);
    }

    @Test
    void namesAndErrors() {
        assertEquals("f1_weighted", Metrics.byName("f1_weighted").name());
        assertEquals("top7_accuracy", Metrics.byName("top7_accuracy").name());
        assertNull(Metrics.byName("f2"));
        assertThrows(IllegalArgumentException.class, () -> Metrics.accuracy().compute(OUT, Tensor.vector(0, 1)));
        assertThrows(IllegalArgumentException.class, () -> Metrics.accuracy().compute(OUT, Tensor.vector(0, 1, 2, 2, 2, 1.5f)));
    }
}
