package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.descent.registry.Values;
import dev.descent.schedule.Schedules;
import dev.descent.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ASGD against values derived by hand from torch.optim.ASGD's documented algorithm (there is no
 * PyTorch fixture for it). f(w) = w^2 / 2 from w = 1, so g = w; lr 0.1, lambd 0.5, alpha 0.75,
 * t0 1 (averaging from step 4: mu = 1, 1, 1, 1/2, 1/3):
 *
 * <pre>
 *   t  eta_t = 0.1 / (1 + 0.05 (t-1))^0.75   w_t = w (1 - 0.5 eta) - eta w      ax_t
 *   1  0.1                                   1 * (1 - 0.05 - 0.1) = 0.85          0.85
 *   2  0.1 / 1.005^0.75 = 0.0964068795       0.85 * (1 - 1.5 * 0.0964069) = 0.7270812  0.7270812
 *   3  0.0931012445                          0.6255430                           0.6255430
 *   4  0.0900485284                          0.5410491                           0.6255430 + (0.5410491 - 0.6255430) / 2 = 0.5832961
 *   5  0.0872195949                          0.4702640                           0.5832961 + (0.4702640 - 0.5832961) / 3 = 0.5456187
 * </pre>
 *
 * Tolerance 1e-6: five float32 steps of values below 1, each a few
 * roundings of about 6e-8, against the double-precision derivation.
 */
class AsgdTest {
    private static final double[] W = {0.85, 0.7270812286764737, 0.6255429778541217, 0.5410491409651272, 0.4702640105811253};
    private static final double[] AX = {0.85, 0.7270812286764737, 0.6255429778541217, 0.5832960594096245, 0.5456187098001247};

    @Test
    void stepsAndAveragesAsTorchOptimAsgd() {
        var row = OptimizerRegistry.REGISTRY.require("asgd");
        OptimizerSpec spec = row.make(Schedules.constant(0.1), Values.of(row).with("lambd", 0.5).with("t0", 1.0));
        Tensor w = Tensor.vector(1f).setRequiresGrad(true);
        Optimizer opt = spec.bind(Map.of("w", w));
        for (int t = 0; t < W.length; t++) {
            opt.zeroGrad();
            w.mul(w).mul(0.5).sum().backward();
            opt.step();
            assertEquals(W[t], w.toFloatArray()[0], 1e-6, "w after step " + (t + 1));
            assertEquals(AX[t], opt.state().buffers().entrySet().stream().filter(e -> e.getKey().endsWith("ax")).findFirst()
                    .orElseThrow().getValue()[0], 1e-6, "ax after step " + (t + 1));
        }
    }

    @Test
    void negativeOptionsAreRefusedByName() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Asgd(-1, 0.75, 1e6));
        assertEquals(true, e.getMessage().contains("lambd"), e.getMessage());
    }
}
