package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.schedule.PlateauOptions;
import dev.descent.schedule.Schedule;
import dev.descent.schedule.Schedules;
import dev.descent.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A metric-driven schedule is a schedule the optimizer holds like any other: fed through
 * {@link Optimizer#observe} wherever it sits (behind a warmup, in a parameter group) and part of
 * the optimizer's state.
 */
class MetricScheduleTest {
    private static Map<String, Tensor> params() {
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("a", Tensor.vector(1f, 2f).requireGrad());
        p.put("b", Tensor.vector(3f).requireGrad());
        return p;
    }

    private static void step(Optimizer opt, Map<String, Tensor> p) {
        for (Tensor t : p.values()) t.mul(t).sum().backward();
        opt.step();
        opt.zeroGrad();
    }

    /** Patience 0, factor 0.5: every report that does not improve halves the rate. */
    private static Schedule plateauBehindWarmup() {
        return Schedules.warmup(2, 0.5, Schedules.reduceOnPlateau(0.1, PlateauOptions.defaults().withPatience(0).withFactor(0.5)));
    }

    @Test
    void aPlateauBehindAWarmupInAParameterGroupIsFedAndSaved() {
        Map<String, Tensor> p = params();
        Optimizer opt = Optimizers.sgd(0.01).withGroups(ParamGroups.glob("b").withLr(plateauBehindWarmup())).bind(p);
        assertTrue(opt.observesMetric());
        step(opt, p);
        step(opt, p);
        assertEquals(0.1, opt.currentLr(1), 0.0, "after the warmup the plateau's rate");
        opt.observe(1.0); // first report: the best so far
        opt.observe(2.0); // worse: halves
        assertEquals(0.05, opt.currentLr(1), 1e-15, "the group's plateau rule received the metric");
        assertEquals(0.01, opt.currentLr(0), 0.0, "the default group is untouched");
        OptimizerState saved = opt.state();
        assertEquals(1, saved.schedules().size(), saved.toString());
        assertEquals(0.5, saved.schedules().get(0).scale(), 0.0);

        Map<String, Tensor> q = params();
        Optimizer resumed = Optimizers.sgd(0.01).withGroups(ParamGroups.glob("b").withLr(plateauBehindWarmup())).bind(q);
        resumed.loadState(saved);
        assertEquals(0.05, resumed.currentLr(1), 1e-15, "the rule's state came back with the optimizer's");
        assertEquals(saved, resumed.state());
    }

    @Test
    void aReportDuringTheWarmupDoesNotReachThePlateau() {
        Map<String, Tensor> p = params();
        Optimizer opt = Optimizers.sgd(plateauBehindWarmup()).bind(p);
        opt.observe(1.0);
        opt.observe(2.0);
        step(opt, p);
        step(opt, p);
        assertEquals(0.1, opt.currentLr(), 0.0, "reports before the plateau's segment began are not its reports");
    }

    @Test
    void aStateWithAnotherNumberOfRulesIsRefused() {
        Optimizer plain = Optimizers.sgd(0.1).bind(params());
        Optimizer withRule = Optimizers.sgd(plateauBehindWarmup()).bind(params());
        var e = assertThrows(IllegalArgumentException.class, () -> withRule.loadState(plain.state()));
        assertTrue(e.getMessage().contains("reduce-on-plateau"), e.getMessage());
    }

    @Test
    void theStepReportsTheNormBeforeClipping() {
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("w", Tensor.vector(0f, 0f).requireGrad());
        Optimizer opt = Optimizers.sgd(1.0).clipByGlobalNorm(1.0).bind(p);
        p.get("w").mul(Tensor.vector(3f, 4f)).sum().backward();
        StepReport r = opt.step();
        assertTrue(r.applied());
        assertEquals(5.0, r.gradNorm(), 1e-6, "the norm of (3, 4) before the clip to 1");
        assertEquals(1.0, r.lr(), 0.0);
    }
}
