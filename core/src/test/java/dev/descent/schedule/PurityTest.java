package dev.descent.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * lr(t) is a pure function of t: out of order, repeated, or on an equal copy, it gives the same
 * bits. A schedule that kept a hidden "current step" (as PyTorch's recursive forms do) would fail.
 */
class PurityTest {
    private static final int STEPS = 200;

    static Stream<Schedule> schedules() throws IOException {
        List<Schedule> all = new ArrayList<>();
        for (JsonNode c : ReferenceScheduleTest.cases()) {
            if (!c.get("schedule").asText().equals("ReduceLROnPlateau")) {
                all.add(ReferenceScheduleTest.scheduleFor(c));
            }
        }
        all.add(Schedules.oneCycle(0.5, STEPS));
        all.add(Schedules.warmupStableDecay(0.1, 20, 100, 50, 0.001, Anneal.ONE_MINUS_SQRT));
        all.add(Schedules.cosineWarmRestarts(0.1, 3, 3, 0.0).then(50, Schedules.constant(0.01)));
        PlateauSchedule plateau = Schedules.cosine(0.1, 40, 0).withPlateau(PlateauOptions.defaults().withPatience(0));
        plateau.report(0, 1.0);
        plateau.report(0, 2.0); // a plateau between reports is a pure function of the step too
        all.add(plateau);
        return all.stream();
    }

    @TestFactory
    Stream<DynamicTest> sameValuesInAnyOrder() throws IOException {
        return schedules().map(s -> DynamicTest.dynamicTest(s.toString(), () -> {
            // OneCycle is defined up to total_steps; the others for every step.
            int steps = s instanceof OneCycle oc ? (int) oc.totalSteps() + 1 : STEPS;
            double[] forward = new double[steps];
            for (int t = 0; t < steps; t++) forward[t] = s.lr(t);

            for (int t = steps - 1; t >= 0; t--) assertEquals(forward[t], s.lr(t), "backwards, step " + t);

            List<Integer> order = new ArrayList<>();
            for (int t = 0; t < steps; t++) order.add(t);
            Collections.shuffle(order, new Random(42));
            for (int t : order) {
                assertEquals(forward[t], s.lr(t), "shuffled, step " + t);
                assertEquals(forward[t], s.lr(t), "repeated, step " + t);
            }
        }));
    }
}
