package dev.descent.cli.paths;

import dev.descent.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A 2-D test function written with Tensor operations, so autograd gives its gradient, with where
 * its minimum is and a view that shows the interesting part. Works element-wise: {@code x} and
 * {@code y} may be single values (the parameters) or whole grids (for the contour plot).
 */
public enum Surface {
    /** (1 - x)^2 + 100 (y - x^2)^2: a long, curved, flat-bottomed valley; minimum 0 at (1, 1). */
    ROSENBROCK(1, 1, -2, 2, -1, 3) {
        @Override
        public Tensor value(Tensor x, Tensor y) {
            Tensor a = x.neg().add(1);
            Tensor b = y.sub(x.mul(x));
            return a.mul(a).add(b.mul(b).mul(100));
        }
    },
    /**
     * (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2: flat plateaus and steep
     * walls; minimum 0 at (3, 0.5).
     */
    BEALE(3, 0.5, -4.5, 4.5, -4.5, 4.5) {
        @Override
        public Tensor value(Tensor x, Tensor y) {
            Tensor y2 = y.mul(y), y3 = y2.mul(y);
            Tensor a = x.neg().add(1.5).add(x.mul(y));
            Tensor b = x.neg().add(2.25).add(x.mul(y2));
            Tensor c = x.neg().add(2.625).add(x.mul(y3));
            return a.mul(a).add(b.mul(b)).add(c.mul(c));
        }
    };

    /** Where the minimum is. */
    public final double minX, minY;
    /** The default view: x from xLo to xHi, y from yLo to yHi. */
    public final double xLo, xHi, yLo, yHi;

    Surface(double minX, double minY, double xLo, double xHi, double yLo, double yHi) {
        this.minX = minX;
        this.minY = minY;
        this.xLo = xLo;
        this.xHi = xHi;
        this.yLo = yLo;
        this.yHi = yHi;
    }

    /** f(x, y), element by element. */
    public abstract Tensor value(Tensor x, Tensor y);

    /** The configuration's spelling, "rosenbrock". */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static List<String> keys() {
        return Arrays.stream(values()).map(Surface::key).toList();
    }

    /**
     * f on an n x n grid over {@code view = [x from, x to, y from, y to]}, computed as one batch
     * of tensor operations in float64; {@code out[i][j]} is at x = view[0] + j (view[1] - view[0]) / (n - 1),
     * y = view[2] + i (view[3] - view[2]) / (n - 1).
     */
    public double[][] grid(int n, double[] view) {
        double[] xs = new double[n * n], ys = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                xs[i * n + j] = view[0] + j * (view[1] - view[0]) / (n - 1);
                ys[i * n + j] = view[2] + i * (view[3] - view[2]) / (n - 1);
            }
        }
        double[] f = value(Tensor.of(xs, n * n), Tensor.of(ys, n * n)).toDoubleArray();
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) System.arraycopy(f, i * n, out[i], 0, n);
        return out;
    }
}
