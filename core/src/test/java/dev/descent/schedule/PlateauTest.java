package dev.descent.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.descent.schedule.PlateauOptions.Mode;
import dev.descent.schedule.PlateauOptions.ThresholdMode;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The reduce-on-plateau rule: exact resume, and the options the fixture does not cover. */
class PlateauTest {

    /**
     * Stop after k reports, save the state, restore it into a fresh schedule and continue: the
     * rates and states must match the uninterrupted run exactly, for every k. The fixture case with
     * cooldown, min_lr and a relative threshold exercises every field of the state.
     */
    @Test
    void resumeFromSavedStateIsExact() throws IOException {
        JsonNode fixture = ReferenceScheduleTest.cases().stream()
                .filter(c -> c.get("schedule").asText().equals("ReduceLROnPlateau") && c.get("options").has("cooldown"))
                .findFirst().orElseThrow();
        double[] metrics = new double[fixture.get("metrics").size()];
        for (int i = 0; i < metrics.length; i++) metrics[i] = fixture.get("metrics").get(i).asDouble();

        PlateauSchedule uninterrupted = ReferenceScheduleTest.plateauFor(fixture);
        double[] rates = new double[metrics.length];
        PlateauState[] states = new PlateauState[metrics.length];
        for (int i = 0; i < metrics.length; i++) {
            rates[i] = uninterrupted.report(i, metrics[i]);
            states[i] = uninterrupted.state();
        }

        boolean restoreMattered = false;
        for (int k = 0; k <= metrics.length; k++) {
            PlateauSchedule first = ReferenceScheduleTest.plateauFor(fixture);
            for (int i = 0; i < k; i++) first.report(i, metrics[i]);
            PlateauState saved = first.state();
            // What a checkpoint writes is the record's fields; rebuild it from them.
            PlateauState reloaded = new PlateauState(saved.reports(), saved.best(), saved.badReports(),
                    saved.cooldownLeft(), saved.scale());

            PlateauSchedule resumed = ReferenceScheduleTest.plateauFor(fixture);
            resumed.restore(reloaded);
            PlateauSchedule notRestored = ReferenceScheduleTest.plateauFor(fixture);
            for (int i = k; i < metrics.length; i++) {
                assertEquals(rates[i], resumed.report(i, metrics[i]), "resumed after " + k + ", report " + i);
                assertEquals(states[i], resumed.state(), "resumed after " + k + ", state after report " + i);
                if (notRestored.report(i, metrics[i]) != rates[i]) restoreMattered = true;
            }
        }
        // Guards the test itself: were the state irrelevant, resuming would prove nothing.
        assertTrue(restoreMattered, "some resume point must depend on the restored state");
    }

    /** With an absolute threshold, maximizing m is minimizing -m: the two must reduce identically. */
    @Test
    void maxModeMirrorsMinModeUnderNegation() {
        PlateauOptions min = new PlateauOptions(Mode.MIN, 0.5, 2, 0.01, ThresholdMode.ABS, 1, 1e-4, 1e-8);
        PlateauSchedule lower = Schedules.reduceOnPlateau(0.1, min);
        PlateauSchedule higher = Schedules.reduceOnPlateau(0.1, min.withMode(Mode.MAX));
        Random random = new Random(7);
        double walk = 0;
        for (int i = 0; i < 200; i++) {
            walk += random.nextGaussian() * 0.02 - 0.002; // slowly improving noisy loss
            assertEquals(lower.report(i, walk), higher.report(i, -walk), "report " + i);
        }
        assertTrue(lower.state().scale() < 0.1, "the walk must trigger several reductions to test anything");
    }

    /** Relative threshold in max mode: an accuracy must beat the best by the fraction to count. */
    @Test
    void maxModeRelativeThreshold() {
        double threshold = 0.1;
        PlateauSchedule lr = Schedules.reduceOnPlateau(1.0, PlateauOptions.defaults().withMode(Mode.MAX)
                .withThreshold(threshold, ThresholdMode.REL).withPatience(1).withFactor(0.5));
        lr.report(0, 0.5);
        lr.report(1, 0.5 * (1 + threshold) * 0.999); // up, but by less than 10%: a bad report
        assertEquals(1, lr.state().badReports());
        assertEquals(0.5, lr.state().best(), "the best only moves on an improvement");
        lr.report(2, 0.5 * (1 + threshold) * 1.001); // by more than 10%: an improvement
        assertEquals(0, lr.state().badReports());
        lr.report(3, 0.0);
        lr.report(4, 0.0);
        assertEquals(0.5, lr.lr(5), 0.0, "two bad reports exceed patience 1");
    }

    /**
     * PyTorch's comparisons are strict: a metric exactly at {@code best * (1 -+ threshold)} or
     * {@code best -+ threshold} is not an improvement, one ulp beyond it is. Values chosen so the
     * boundary is exact in binary.
     */
    @ParameterizedTest
    @CsvSource({"MIN, REL, 0.5, 0.5", "MIN, ABS, 0.5, 0.5", "MAX, REL, 1.0, 2.0", "MAX, ABS, 0.5, 1.5"})
    void thresholdBoundaryIsNotAnImprovement(Mode mode, ThresholdMode thresholdMode, double threshold, double boundary) {
        PlateauOptions options = PlateauOptions.defaults().withMode(mode).withThreshold(threshold, thresholdMode);
        double beyond = mode == Mode.MIN ? Math.nextDown(boundary) : Math.nextUp(boundary);

        PlateauSchedule atBoundary = Schedules.reduceOnPlateau(0.1, options);
        atBoundary.report(0, 1.0);
        atBoundary.report(1, boundary);
        assertEquals(1, atBoundary.state().badReports(), "exactly at the threshold");
        assertEquals(1.0, atBoundary.state().best());

        PlateauSchedule pastBoundary = Schedules.reduceOnPlateau(0.1, options);
        pastBoundary.report(0, 1.0);
        pastBoundary.report(1, beyond);
        assertEquals(0, pastBoundary.state().badReports(), "one ulp past the threshold");
        assertEquals(beyond, pastBoundary.state().best());
    }

    @Test
    void nanMetricCountsAsNoImprovement() {
        PlateauSchedule lr = Schedules.reduceOnPlateau(0.1, PlateauOptions.defaults().withPatience(1).withFactor(0.5));
        lr.report(0, 1.0);
        lr.report(1, Double.NaN);
        lr.report(2, Double.NaN);
        assertEquals(0.5, lr.state().scale());
        assertEquals(1.0, lr.state().best(), "NaN never becomes the best");
    }

    @Test
    void minLrStopsFurtherReductions() {
        double minLr = 0.03;
        PlateauSchedule lr = Schedules.reduceOnPlateau(0.1,
                PlateauOptions.defaults().withFactor(0.5).withPatience(0).withMinLr(minLr));
        lr.report(0, 1.0);
        for (int i = 1; i < 10; i++) lr.report(i, 1.0); // every report exceeds patience 0
        assertEquals(minLr, lr.lr(10), 1e-15 * minLr, "0.1 -> 0.05 -> max(0.025, 0.03), then held");
        assertEquals(10, lr.state().reports());
    }

    @Test
    void cooldownIgnoresBadReports() {
        int cooldown = 3;
        PlateauSchedule lr = Schedules.reduceOnPlateau(0.1,
                PlateauOptions.defaults().withFactor(0.5).withPatience(0).withCooldown(cooldown));
        lr.report(0, 1.0);
        lr.report(1, 1.0); // reduces, cooldown starts
        assertEquals(0.5, lr.state().scale());
        for (int i = 0; i < cooldown; i++) {
            lr.report(2 + i, 1.0);
            assertEquals(0.5, lr.state().scale(), "cooldown report " + i);
        }
        lr.report(2 + cooldown, 1.0);
        assertEquals(0.25, lr.state().scale(), "the first report after the cooldown may reduce again");
    }

    @Test
    void reportingDoesNotChangeTheInnerSchedule() {
        Schedule inner = Schedules.cosine(0.1, 30, 0.0);
        double[] before = new double[30];
        for (int t = 0; t < 30; t++) before[t] = inner.lr(t);
        PlateauSchedule lr = inner.withPlateau(PlateauOptions.defaults().withPatience(0));
        lr.report(3, 1.0);
        lr.report(4, 2.0);
        assertNotEquals(1.0, lr.state().scale());
        for (int t = 0; t < 30; t++) assertEquals(before[t], inner.lr(t));
    }
}
