package dev.descent.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Properties beyond the fixture's 60 steps: long runs, cycle boundaries, phase ends. */
class ScheduleShapeTest {

    /**
     * The closed-form cycle search against PyTorch's own per-step bookkeeping
     * ({@code T_cur += 1; if T_cur >= T_i: T_cur -= T_i; T_i *= T_mult}) over many cycles.
     */
    @Test
    void warmRestartsMatchPyTorchsStepwiseCycleBookkeeping() {
        for (long tMult : new long[] {1, 2, 3}) {
            double lr = 0.1;
            double etaMin = 0.001;
            long t0 = 3;
            Schedule s = Schedules.cosineWarmRestarts(lr, t0, tMult, etaMin);
            long tCur = 0;
            long tI = t0;
            for (long t = 0; t < 20_000; t++) {
                double expected = etaMin + (lr - etaMin) * (1 + Math.cos(Math.PI * tCur / tI)) / 2;
                assertEquals(expected, s.lr(t), "T_mult " + tMult + ", step " + t);
                tCur += 1;
                if (tCur >= tI) {
                    tCur -= tI;
                    tI *= tMult;
                }
            }
        }
    }

    @Test
    void warmRestartsHandleTheLargestSteps() {
        Schedule s = Schedules.cosineWarmRestarts(0.1, 1, 2, 0.01);
        for (long t : new long[] {Long.MAX_VALUE, Long.MAX_VALUE - 1, 1L << 62, (1L << 62) - 1}) {
            double v = s.lr(t);
            assertTrue(v >= 0.01 && v <= 0.1, "step " + t + " gave " + v);
        }
        // Cycles of 1, 2, 4, ...: step 2^k - 1 starts a cycle, so it is a restart at lr.
        assertEquals(0.1, s.lr((1L << 62) - 1), 0.0);
    }

    @Test
    void cosinePastTMaxClimbsBackSymmetrically() {
        long tMax = 40;
        Schedule s = Schedules.cosine(0.1, tMax, 0.001);
        assertEquals(0.001, s.lr(tMax), 1e-17, "reaches eta_min at T_max");
        for (long k = 0; k <= tMax; k++) {
            // cos is symmetric about pi; the two arguments round differently, hence 1e-15.
            assertEquals(s.lr(tMax - k), s.lr(tMax + k), 1e-15, "k " + k);
        }
    }

    @Test
    void oneCycleHitsItsPeakAndEnds() {
        double maxLr = 0.5;
        long total = 100;
        // PyTorch's annealing computes end + (start - end) * w, so every value carries rounding on
        // the scale of max_lr (its fixture has 0.020000000000000018 for 0.02): a few ulps of max_lr.
        double tolerance = 4 * Math.ulp(maxLr);
        Schedule s = Schedules.oneCycle(maxLr, total, 0.3, Anneal.COSINE, 25, 1e4, false);
        assertEquals(maxLr / 25, s.lr(0), tolerance);
        assertEquals(maxLr, s.lr(29), tolerance, "peak at pct_start * total_steps - 1");
        assertTrue(s.lr(28) < s.lr(29) && s.lr(30) < s.lr(29), "the peak is the maximum");
        assertEquals(maxLr / 25 / 1e4, s.lr(total - 1), tolerance, "minimum at total_steps - 1");
        Schedule three = Schedules.oneCycle(maxLr, total, 0.3, Anneal.LINEAR, 25, 1e4, true);
        assertEquals(maxLr, three.lr(29), tolerance);
        assertEquals(maxLr / 25, three.lr(58), tolerance, "back to the start at 2 * pct_start * total_steps - 2");
        assertEquals(maxLr / 25 / 1e4, three.lr(total - 1), tolerance);
    }

    @ParameterizedTest
    @EnumSource(Anneal.class)
    void warmupStableDecayPhases(Anneal decay) {
        double lr = 0.1;
        double minLr = 0.001;
        long w = 10;
        long stable = 30;
        long d = 20;
        Schedule s = Schedules.warmupStableDecay(lr, w, stable, d, minLr, decay);
        assertEquals(0.0, s.lr(0), "the paper's warmup starts from 0");
        for (long t = 1; t < w; t++) assertEquals(lr * t / w, s.lr(t), 1e-18, "warmup step " + t);
        for (long t = w; t < w + stable; t++) assertEquals(lr, s.lr(t), "stable step " + t);
        assertEquals(lr, s.lr(w + stable), 1e-17, "decay starts at lr");
        for (long t = w + stable + 1; t < w + stable + d; t++) {
            assertTrue(s.lr(t) < s.lr(t - 1) && s.lr(t) > minLr, decay + " decays strictly, step " + t);
        }
        for (long t = w + stable + d; t < w + stable + d + 10; t++) assertEquals(minLr, s.lr(t), "after decay " + t);
    }

    @Test
    void annealShapesAtTheirCharacteristicPoints() {
        // Halfway, linear and cosine are both at the midpoint; 1-sqrt at p = 1/4 is halfway too.
        assertEquals(2.0, Anneal.LINEAR.between(3, 1, 0.5), 1e-15);
        assertEquals(2.0, Anneal.COSINE.between(3, 1, 0.5), 1e-15);
        assertEquals(2.0, Anneal.ONE_MINUS_SQRT.between(3, 1, 0.25), 1e-15);
        for (Anneal a : Anneal.values()) {
            assertEquals(3.0, a.between(3, 1, 0), 1e-15, a + " at 0");
            assertEquals(1.0, a.between(3, 1, 1), 1e-15, a + " at 1");
        }
    }

    @Test
    void multiStepMilestoneZeroDecaysTheFirstStep() {
        // PyTorch counts a milestone at 0 at construction, so step 0 already runs at lr * gamma.
        Schedule s = Schedules.multiStep(0.1, List.of(0L, 5L), 0.5);
        assertEquals(0.05, s.lr(0), 0.0);
        assertEquals(0.025, s.lr(5), 0.0);
    }

    @Test
    void polynomialIsZeroFromTotalItersOn() {
        Schedule s = Schedules.polynomial(0.1, 10, 1.5);
        for (long t = 10; t < 20; t++) assertEquals(0.0, s.lr(t));
        assertTrue(s.lr(9) > 0);
    }
}
