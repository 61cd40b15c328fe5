package dev.descent.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DownsampleTest {
    @Test
    void longSeriesIsCappedButKeepsItsSpikeAndItsEnds() {
        int n = 12_345;
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
            y[i] = 1.0 / (1 + i / 100.0) + 0.01 * Math.sin(i);
        }
        y[7777] = 50;  // one diverging step
        y[9000] = -3;  // and one dip
        double[][] d = Downsample.minMax(x, y, Downsample.MAX_POINTS);
        assertTrue(d[0].length <= Downsample.MAX_POINTS && d[0].length > Downsample.MAX_POINTS / 2, "points kept: " + d[0].length);
        assertEquals(d[0].length, d[1].length);
        assertEquals(50, Arrays.stream(d[1]).max().orElseThrow(), "the spike survives");
        assertEquals(-3, Arrays.stream(d[1]).min().orElseThrow(), "the dip survives");
        for (int i = 1; i < d[0].length; i++) assertTrue(d[0][i] > d[0][i - 1], "x stays increasing at " + i);
        assertEquals(1, d[0][0], 1e-12, "first point kept (it is the first bucket's max)");
    }

    @Test
    void shortSeriesIsReturnedAsIs() {
        double[] x = {1, 2, 3}, y = {3, 2, 1};
        double[][] d = Downsample.minMax(x, y, 2000);
        assertSame(x, d[0]);
        assertSame(y, d[1]);
    }
}
