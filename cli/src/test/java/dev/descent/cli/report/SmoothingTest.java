package dev.descent.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SmoothingTest {
    @Test
    void biasCorrectionKeepsAConstantConstantFromTheFirstPoint() {
        double[] s = Smoothing.ema(new double[] {2, 2, 2, 2, 2}, 10);
        for (double v : s) assertEquals(2.0, v, 1e-12);
    }

    @Test
    void nullsBecomeGapsAndTheAverageCarriesOver() {
        double[] s = Smoothing.ema(new double[] {1, Double.NaN, 1, 3}, 3);  // beta 0.5
        assertEquals(1.0, s[0], 1e-12);
        assertTrue(Double.isNaN(s[1]));
        assertEquals(1.0, s[2], 1e-12);
        // avg after 1,1 = 0.75 (raw), then 0.5*0.75 + 0.5*3 = 1.875; correction 1 - 0.125.
        assertEquals(1.875 / 0.875, s[3], 1e-12);
    }

    @Test
    void spanGrowsWithTheRun() {
        assertEquals(5, Smoothing.span(40));
        assertEquals(10, Smoothing.span(300));
        assertEquals(333, Smoothing.span(10_000));
    }
}
