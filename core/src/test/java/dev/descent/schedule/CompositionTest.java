package dev.descent.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Warmup, hand-over and plateau compose as functions: each piece keeps its own meaning. */
class CompositionTest {

    /**
     * The fixture's WarmupCosine (PyTorch SequentialLR of LinearLR and CosineAnnealingLR), built
     * with the default methods, then a plateau factor on top.
     */
    @Test
    void warmupThenCosineThenPlateau() throws IOException {
        JsonNode fixture = ReferenceScheduleTest.firstCase("WarmupCosine");
        JsonNode o = fixture.get("options");
        Schedule warmupCosine = Schedules.cosine(fixture.get("base_lr").asDouble(), o.get("T_max").asLong(),
                        o.get("eta_min").asDouble())
                .withWarmup(o.get("warmup_steps").asLong(), o.get("warmup_start_factor").asDouble());
        PlateauSchedule lr = warmupCosine.withPlateau(PlateauOptions.defaults().withFactor(0.5).withPatience(1));

        // No report yet: the plateau factor is 1 and the composition is the fixture itself.
        JsonNode expected = fixture.get("expected_lr");
        for (int t = 0; t < expected.size(); t++) {
            ReferenceScheduleTest.assertClose(expected.get(t).asDouble(), lr.lr(t), "step " + t + " before any report");
        }

        // One improvement, then two flat reports: the second exceeds patience 1 and halves the rate.
        lr.report(20, 1.0);
        lr.report(25, 1.0);
        assertEquals(1.0, lr.state().scale(), "patience 1 tolerates one bad report");
        lr.report(30, 1.0);
        assertEquals(0.5, lr.state().scale());
        // The cosine keeps shaping the rate under the factor. Halving is exact in binary floating
        // point, so equality is exact.
        for (int t = 0; t < expected.size(); t++) {
            assertEquals(0.5 * warmupCosine.lr(t), lr.lr(t), "step " + t + " after one reduction");
        }
    }

    @Test
    void sequentialRestartsEachScheduleAtItsMilestone() {
        Schedule a = Schedules.exponential(0.1, 0.9);
        Schedule b = Schedules.cosine(0.05, 20, 0.001);
        Schedule c = Schedules.inverseSqrt(0.02);
        Schedule seq = Schedules.sequential(List.of(a, b, c), List.of(7L, 30L));
        for (long t = 0; t < 7; t++) assertEquals(a.lr(t), seq.lr(t), "step " + t);
        for (long t = 7; t < 30; t++) assertEquals(b.lr(t - 7), seq.lr(t), "step " + t);
        for (long t = 30; t < 100; t++) assertEquals(c.lr(t - 30), seq.lr(t), "step " + t);
    }

    @Test
    void thenIsSequentialOfTwo() {
        Schedule a = Schedules.step(0.1, 3, 0.5);
        Schedule b = Schedules.polynomial(0.04, 10, 2);
        Schedule viaThen = a.then(12, b);
        Schedule viaSequential = Schedules.sequential(List.of(a, b), List.of(12L));
        for (long t = 0; t < 40; t++) assertEquals(viaSequential.lr(t), viaThen.lr(t), "step " + t);
    }

    @Test
    void warmupRampsTowardsTheFirstRateOfAnySchedule() {
        Schedule then = Schedules.cyclic(0.01, 0.1, 4, CyclicMode.TRIANGULAR2);
        Schedule warm = Schedules.warmup(5, 0.2, then);
        assertEquals(0.2 * then.lr(0), warm.lr(0), 1e-18, "starts at start_factor times then.lr(0)");
        for (long t = 1; t < 5; t++) {
            assertTrue(warm.lr(t) > warm.lr(t - 1), "rises during warmup, step " + t);
        }
        for (long t = 5; t < 40; t++) assertEquals(then.lr(t - 5), warm.lr(t), "step " + t);
        assertSame(then, Schedules.warmup(0, 0.2, then), "no warmup steps is the schedule itself");
    }

    /**
     * With a moving inner schedule, min_lr binds at the step of the report: the rate there becomes
     * min_lr, and afterwards the inner schedule's shape carries on under the same factor.
     */
    @Test
    void plateauMinLrBindsAtTheReportStepAndTheInnerShapeCarriesOn() {
        Schedule inner = Schedules.step(0.1, 10, 0.1); // 0.1 for steps 0-9, 0.01 for 10-19, ...
        double minLr = 0.005;
        PlateauSchedule lr = inner.withPlateau(PlateauOptions.defaults().withFactor(0.1).withPatience(0).withMinLr(minLr));
        lr.report(15, 2.0);
        lr.report(15, 3.0); // worse, patience 0: reduce 0.01 -> max(0.001, 0.005)
        // One division and one multiplication of round-off between min_lr and the result.
        assertEquals(minLr, lr.lr(15), 1e-15 * minLr);
        double scale = lr.state().scale();
        assertEquals(minLr / inner.lr(15), scale, 0.0);
        for (long t = 0; t < 40; t++) assertEquals(inner.lr(t) * scale, lr.lr(t), "step " + t);
    }

    /** A plateau's reduction is measured on the rate in use at the report, not on the inner's base rate. */
    @Test
    void plateauEpsIsJudgedOnTheCurrentRate() {
        // At step 25 the inner rate is 1e-9; one reduction would lower it by 9e-10 < eps 1e-8.
        Schedule inner = Schedules.multiStep(0.1, List.of(20L), 1e-8);
        PlateauSchedule lr = inner.withPlateau(PlateauOptions.defaults().withPatience(0).withCooldown(2));
        lr.report(25, 1.0);
        lr.report(25, 1.0);
        assertEquals(1.0, lr.state().scale(), "the reduction is below eps and skipped");
        assertEquals(2, lr.state().cooldownLeft(), "as in PyTorch, the cooldown starts anyway");
        // At step 5 the same reduction (0.1 -> 0.01) is well above eps.
        PlateauSchedule early = inner.withPlateau(PlateauOptions.defaults().withPatience(0));
        early.report(5, 1.0);
        early.report(5, 1.0);
        assertEquals(0.1, early.state().scale(), 0.0);
    }
}
