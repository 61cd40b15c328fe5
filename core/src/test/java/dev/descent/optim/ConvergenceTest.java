package dev.descent.optim;

import dev.descent.schedule.Schedule;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Convergence table: every optimizer reaches the minimum of two problems, with analytic float32
 * gradients.
 *
 * <ul>
 *   <li><b>Quadratic</b> {@code f(x) = sum c_i (x_i - t_i)^2}, {@code c = (0.25, 1, 2, 5)}
 *       (condition number 20), {@code t = (1, -2, 3, 0.5)}, from {@code x = 0}; pass when
 *       {@code max |x_i - t_i| < 1e-4} after the budget.</li>
 *   <li><b>Rosenbrock</b> {@code f(x, y) = (1 - x)^2 + 100 (y - x^2)^2} from {@code (-1.5, 2)};
 *       pass when {@code max(|x - 1|, |y - 1|) < 1e-3} after the budget (the valley is flat, and
 *       float32 gradients near the minimum carry about 1e-4 of noise).</li>
 * </ul>
 * The learning rate is {@code lr * gamma^t} ({@code gamma = 1}: constant). Weight decay is 0,
 * since decay moves the minimum. "Reached" is the step from which the error stayed below the
 * tolerance, measured when the table was made; budgets leave at least 1.4x headroom.
 *
 * <pre>
 * optimizer                       | quadratic: lr, gamma, budget (reached) | Rosenbrock: lr, gamma, budget (reached)
 * SGD                             | 0.1,   1,     400  (180)               | 0.001, 1,     30000 (17416)
 * SGD Nesterov, momentum 0.9      | 0.1,   1,     300  (117)               | 0.001, 1,      3000  (1546)
 * Adagrad                         | 1.0,   1,     200   (38)               | 1.0,   1,     20000 (12896)
 * Adadelta                        | 1.0,   1,    1500  (840)               | 3.0,   0.999, 12000  (6877)
 * RMSprop                         | 0.03,  1,     400  (190)               | 0.01,  0.999, 10000  (6120)
 * RMSprop centered, momentum 0.9  | 0.003, 1,     400  (187)               | 0.003, 0.999,  2000   (964)
 * Adam                            | 0.1,   1,     400  (197)               | 0.3,   0.999,  4000  (1887)
 * Adam AMSGrad                    | 0.1,   1,     400  (199)               | 0.1,   1,      3000  (1304)
 * AdamW                           | 0.1,   1,     400  (197)               | 0.3,   0.999,  4000  (1887)
 * Adamax                          | 0.1,   1,     400  (198)               | 0.01,  1,      8000  (4849)
 * NAdam                           | 0.1,   1,     300  (148)               | 0.1,   0.999,  9000  (5169)
 * RAdam                           | 0.1,   1,     400  (216)               | 0.001, 1,     25000 (16230)
 * Lion                            | 0.1,   0.99, 1500  (706)               | 0.01,  0.999,  8000  (4876)
 * </pre>
 * Lion moves every coordinate by exactly lr per step, so it needs a decaying rate to settle.
 * RAdam's first steps (rho_t &lt;= 5) are unnormalized momentum SGD, which bounds its Rosenbrock
 * learning rate by SGD's.
 */
class ConvergenceTest {

    record Row(String name, Function<Schedule, OptimizerSpec> make,
               double quadLr, double quadGamma, int quadBudget, double rosLr, double rosGamma, int rosBudget) {}

    static final List<Row> TABLE = List.of(
            new Row("SGD", lr -> Optimizers.sgd(lr, 0, 0, false, 0), 0.1, 1, 400, 0.001, 1, 30000),
            new Row("SGD Nesterov", lr -> Optimizers.sgd(lr, 0.9, 0, true, 0), 0.1, 1, 300, 0.001, 1, 3000),
            new Row("Adagrad", lr -> Optimizers.adagrad(lr, 0, 0, 1e-10, 0), 1.0, 1, 200, 1.0, 1, 20000),
            new Row("Adadelta", lr -> Optimizers.adadelta(lr, 0.9, 1e-6, 0), 1.0, 1, 1500, 3.0, 0.999, 12000),
            new Row("RMSprop", lr -> Optimizers.rmsprop(lr, 0.99, 1e-8, 0, false, 0), 0.03, 1, 400, 0.01, 0.999, 10000),
            new Row("RMSprop centered momentum", lr -> Optimizers.rmsprop(lr, 0.99, 1e-8, 0.9, true, 0), 0.003, 1, 400, 0.003, 0.999, 2000),
            new Row("Adam", lr -> Optimizers.adam(lr), 0.1, 1, 400, 0.3, 0.999, 4000),
            new Row("Adam AMSGrad", lr -> Optimizers.adam(lr, 0.9, 0.999, 1e-8, 0, true), 0.1, 1, 400, 0.1, 1, 3000),
            new Row("AdamW", lr -> Optimizers.adamW(lr, 0.0), 0.1, 1, 400, 0.3, 0.999, 4000),
            new Row("Adamax", lr -> Optimizers.adamax(lr, 0.9, 0.999, 1e-8, 0), 0.1, 1, 400, 0.01, 1, 8000),
            new Row("NAdam", lr -> Optimizers.nadam(lr, 0.9, 0.999, 1e-8, 0, 4e-3), 0.1, 1, 300, 0.1, 0.999, 9000),
            new Row("RAdam", lr -> Optimizers.radam(lr, 0.9, 0.999, 1e-8, 0), 0.1, 1, 400, 0.001, 1, 25000),
            new Row("Lion", lr -> Optimizers.lion(lr, 0.9, 0.99, 0), 0.1, 0.99, 1500, 0.01, 0.999, 8000));

    static Schedule decaying(double lr, double gamma) {
        return step -> lr * Math.pow(gamma, step);
    }

    /** Runs the budget; returns the step from which the error stayed below tol, or -1. Asserts convergence. */
    static int run(String label, OptimizerSpec spec, float[] x0, float[] xstar, ToDoubleFunction<Tensor> f, int budget, double tol) {
        Tensor x = Tensor.of(x0.clone(), x0.length).requireGrad();
        Optimizer opt = spec.bind(List.of(x));
        double f0 = f.applyAsDouble(x);
        x.zeroGrad();
        int since = -1;
        double err = Double.NaN;
        for (int t = 0; t < budget; t++) {
            f.applyAsDouble(x);
            opt.step();
            opt.zeroGrad();
            err = maxError(x.data(), xstar);
            if (err < tol) {
                if (since < 0) since = t + 1;
            } else {
                since = -1;
            }
        }
        double fEnd = f.applyAsDouble(x);
        assertTrue(err < tol, label + ": after " + budget + " steps max |x - x*| = " + err + " (tolerance " + tol + "), x = "
                + java.util.Arrays.toString(x.data()));
        assertTrue(fEnd < f0, label + ": f went from " + f0 + " to " + fEnd);
        return since;
    }

    static double maxError(float[] x, float[] xstar) {
        double err = 0;
        for (int i = 0; i < x.length; i++) err = Math.max(err, Math.abs(x[i] - xstar[i]));
        return Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
    }

    @TestFactory
    Stream<DynamicTest> quadratic() {
        return TABLE.stream().map(r -> DynamicTest.dynamicTest(r.name(), () -> {
            int reached = run(r.name() + " on the quadratic", r.make().apply(decaying(r.quadLr(), r.quadGamma())),
                    new float[4], Problems.TARGET, Problems::quadratic, r.quadBudget(), 1e-4);
            System.out.printf("quadratic  %-28s reached at %6d of %6d%n", r.name(), reached, r.quadBudget());
        }));
    }

    @TestFactory
    Stream<DynamicTest> rosenbrock() {
        return TABLE.stream().map(r -> DynamicTest.dynamicTest(r.name(), () -> {
            int reached = run(r.name() + " on Rosenbrock", r.make().apply(decaying(r.rosLr(), r.rosGamma())),
                    new float[] {-1.5f, 2f}, new float[] {1f, 1f}, Problems::rosenbrock, r.rosBudget(), 1e-3);
            System.out.printf("rosenbrock %-28s reached at %6d of %6d%n", r.name(), reached, r.rosBudget());
        }));
    }
}
