package dev.descent.cli.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SummaryTest {
    private static final double[] NONE = {};

    private static Curves train(double... loss) {
        double[] step = new double[loss.length], sec = new double[loss.length];
        for (int i = 0; i < loss.length; i++) {
            step[i] = i + 1;
            sec[i] = 0.5 * (i + 1);
        }
        return new Curves(step, sec, loss, new double[loss.length], NONE, NONE, NONE, NONE, Double.NaN);
    }

    @Test
    void divergedMeansNonFiniteOrTenTimesTheFirstLoss() {
        assertFalse(Summary.of(train(2, 5, 19.9, 1), false, Double.NaN, "completed").diverged());
        assertTrue(Summary.of(train(2, 5, 20.1, 1), false, Double.NaN, "completed").diverged());
        assertTrue(Summary.of(train(2, Double.NaN), false, Double.NaN, "completed").diverged());
        assertTrue(Summary.of(train(2, Double.POSITIVE_INFINITY), false, Double.NaN, "completed").diverged());
        // With on_nonfinite: stop the NaN step is never reported; the Trainer's reason says it.
        assertTrue(Summary.of(train(2, 1.5), false, Double.NaN, "stopped: loss is NaN at step 3 (epoch 1, batch 3); ...").diverged());
        assertFalse(Summary.of(train(2, 1.5), false, Double.NaN, "stopped: early stopping: val_loss did not improve").diverged());
    }

    @Test
    void withoutValidationTheTargetIsJudgedOnTheStepLoss() {
        Summary s = Summary.of(train(2, 1.5, 0.9, 1.2, 0.5), false, 1.0, "completed");
        assertEquals(3, s.stepsToTarget());
        assertEquals(1.5, s.secondsToTarget(), 0.0);
        assertEquals(0.5, s.finalLoss(), 0.0, "the last step's loss when no epoch completed");
        assertEquals(-1, Summary.of(train(2, 1.5), false, 1.0, "completed").stepsToTarget());
        assertEquals(-1, Summary.of(train(2, 0.1), false, Double.NaN, "completed").stepsToTarget(), "no target, no steps");
    }

    @Test
    void withValidationTheTargetIsJudgedOnTheValidationLossAndBestFollowsTheMetricsDirection() {
        Curves c = new Curves(new double[] {1, 2, 3, 4}, new double[] {1, 2, 3, 4}, new double[] {2, 0.1, 0.1, 0.1}, new double[4],
                new double[] {2, 4}, new double[] {2, 4}, new double[] {1.2, 0.8}, new double[] {0.9, 0.7}, 0.25);
        Summary acc = Summary.of(c, true, 1.0, "completed");
        assertEquals(4, acc.stepsToTarget(), "the training loss was under 1 at step 2, the validation loss only at step 4");
        assertEquals(0.9, acc.bestMetric(), 0.0);
        assertEquals(0.7, acc.finalMetric(), 0.0);
        assertEquals(0.25, acc.finalLoss(), 0.0, "the last epoch's mean");
        assertEquals(0.7, Summary.of(c, false, 1.0, "completed").bestMetric(), 0.0, "lower is better for a loss");
    }
}
