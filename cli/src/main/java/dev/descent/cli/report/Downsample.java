package dev.descent.cli.report;

import java.util.Arrays;

/**
 * Thins a long series for plotting by min–max bucketing: the points are cut into
 * {@code maxPoints / 2} contiguous buckets and each bucket keeps its lowest and highest point, in
 * x order. Unlike keeping every k-th point this never hides a spike (a diverging step stays on the
 * chart), and it keeps a 10,000-step run's PNG and HTML small: at most {@code maxPoints} points.
 */
final class Downsample {
    /** Default cap on plotted points per series. */
    static final int MAX_POINTS = 2000;

    private Downsample() {}

    /** Returns {x, y} with at most maxPoints points; the input itself when it is already short. */
    static double[][] minMax(double[] x, double[] y, int maxPoints) {
        if (x.length != y.length) throw new IllegalArgumentException("x and y lengths differ: " + x.length + " vs " + y.length);
        if (maxPoints < 2) throw new IllegalArgumentException("maxPoints must be >= 2, got " + maxPoints);
        int n = x.length;
        if (n <= maxPoints) return new double[][] {x, y};
        int buckets = maxPoints / 2;
        double[] ox = new double[2 * buckets], oy = new double[2 * buckets];
        int k = 0;
        for (int b = 0; b < buckets; b++) {
            int from = (int) ((long) b * n / buckets), to = (int) ((long) (b + 1) * n / buckets);
            int lo = from, hi = from;
            for (int i = from + 1; i < to; i++) {
                if (y[i] < y[lo]) lo = i;
                if (y[i] > y[hi]) hi = i;
            }
            int first = Math.min(lo, hi), second = Math.max(lo, hi);
            ox[k] = x[first];
            oy[k++] = y[first];
            if (second != first) {
                ox[k] = x[second];
                oy[k++] = y[second];
            }
        }
        return new double[][] {Arrays.copyOf(ox, k), Arrays.copyOf(oy, k)};
    }
}
