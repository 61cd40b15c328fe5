package dev.descent.cli.paths;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.optim.Optimizers;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

class PathRunTest {
    private static double distance(double[] p, Surface s) {
        return Math.hypot(p[0] - s.minX, p[1] - s.minY);
    }

    @Test
    void everyPathStartsAtTheStartAndAdamApproachesRosenbrocksMinimum() {
        Surface r = Surface.ROSENBROCK;
        PathRun sgd = PathRun.run("sgd", r, -1.5, 2.0, 300, Optimizers.sgd(0.001));
        PathRun adam = PathRun.run("adam", r, -1.5, 2.0, 300, Optimizers.adam(0.1));
        for (PathRun p : new PathRun[] {sgd, adam}) {
            assertArrayEquals(new double[] {-1.5, 2.0}, p.points().get(0), 0.0, p.label());
            assertEquals(301, p.points().size(), "the start plus one point per step");
            assertEquals("completed", p.reason());
        }
        double start = Math.hypot(-1.5 - 1, 2.0 - 1);
        assertTrue(distance(adam.end(), r) < 0.5 * start, "adam ends near (1, 1): " + adam.end()[0] + ", " + adam.end()[1]);
        assertTrue(adam.values()[300] < 0.1 * adam.values()[0], "and far down the function: f = " + adam.values()[300]);
        assertTrue(sgd.values()[300] < sgd.values()[0], "plain descent goes down too, slowly");
    }

    @Test
    void autogradGivesTheAnalyticGradients() {
        Tensor x = Tensor.vector(-1.2f).requireGrad(), y = Tensor.vector(1.0f).requireGrad();
        Surface.ROSENBROCK.value(x, y).sum().backward();
        // d/dx = -2(1 - x) - 400 x (y - x^2), d/dy = 200 (y - x^2)
        double gx = -2 * (1 + 1.2) - 400 * -1.2 * (1.0 - 1.44), gy = 200 * (1.0 - 1.44);
        assertEquals(gx, x.grad().item(), 1e-3 * Math.abs(gx));
        assertEquals(gy, y.grad().item(), 1e-3 * Math.abs(gy));
        assertEquals(0, Surface.BEALE.grid(3, new double[] {3, 3, 0.5, 0.5})[1][1], 1e-12, "Beale is 0 at (3, 0.5)");
        assertEquals(0, Surface.ROSENBROCK.grid(3, new double[] {1, 1, 1, 1})[0][0], 0.0);
    }
}
