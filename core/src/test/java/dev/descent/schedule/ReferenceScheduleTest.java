package dev.descent.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every case of reference/schedules.json (PyTorch 1.13, copied from shared/reference):
 * {@code expected_lr[t]} is the rate of optimizer step t, or for ReduceLROnPlateau the rate after
 * the i-th metric is reported.
 */
class ReferenceScheduleTest {
    /**
     * 1e-9 relative, the tolerance. Schedules are computed in double on both sides, and
     * PyTorch's values come from its recursive forms (products of per-step ratios) while ours are
     * closed forms, so they differ by accumulated rounding: a few ulps per step over 60 steps is
     * about 1e-14 relative, far inside 1e-9, while any formula or off-by-one error is far outside.
     */
    private static final double RELATIVE_TOLERANCE = 1e-9;

    /** Every case in the file, so a case that stopped being replayed fails the suite. */
    private static final int EXPECTED_CASES = 17;

    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode fixture() throws IOException {
        try (InputStream in = ReferenceScheduleTest.class.getResourceAsStream("/reference/schedules.json")) {
            if (in == null) fail("reference/schedules.json is missing from the test resources");
            return JSON.readTree(in);
        }
    }

    static List<JsonNode> cases() throws IOException {
        List<JsonNode> cases = new ArrayList<>();
        fixture().get("cases").forEach(cases::add);
        return cases;
    }

    /** The first case of the given PyTorch class, for tests that reuse a fixture. */
    static JsonNode firstCase(String schedule) throws IOException {
        return cases().stream().filter(c -> c.get("schedule").asText().equals(schedule)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + schedule + " case in the fixture"));
    }

    @Test
    void fixtureHasEveryCase() throws IOException {
        assertEquals(EXPECTED_CASES, cases().size());
    }

    @TestFactory
    Stream<DynamicTest> replaysEveryCase() throws IOException {
        List<JsonNode> cases = cases();
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            JsonNode c = cases.get(i);
            String name = i + " " + c.get("schedule").asText() + " " + c.get("options");
            tests.add(DynamicTest.dynamicTest(name, () -> replay(c)));
        }
        return tests.stream();
    }

    private static void replay(JsonNode c) {
        double[] expected = doubles(c.get("expected_lr"));
        double[] actual = new double[expected.length];
        if (c.get("schedule").asText().equals("ReduceLROnPlateau")) {
            double[] metrics = doubles(c.get("metrics"));
            assertEquals(metrics.length, expected.length, "one expected rate per reported metric");
            PlateauSchedule plateau = plateauFor(c);
            for (int i = 0; i < metrics.length; i++) {
                // The inner schedule is constant, so the step passed is immaterial; use the epoch.
                actual[i] = plateau.report(i, metrics[i]);
                assertEquals(actual[i], plateau.lr(i), "report returns lr(step)");
            }
        } else {
            Schedule schedule = scheduleFor(c);
            for (int t = 0; t < expected.length; t++) actual[t] = schedule.lr(t);
        }
        for (int t = 0; t < expected.length; t++) {
            assertClose(expected[t], actual[t], "rate " + t);
        }
    }

    static void assertClose(double expected, double actual, String what) {
        // An expected 0 (PolynomialLR's end) is exact in both forms, so it is matched exactly.
        double allowed = RELATIVE_TOLERANCE * Math.abs(expected);
        assertTrue(Math.abs(actual - expected) <= allowed,
                () -> what + ": expected " + expected + ", got " + actual + " (relative error "
                        + Math.abs(actual - expected) / Math.abs(expected) + ")");
    }

    /** The schedule a case describes, with PyTorch's defaults for options the case leaves out. */
    static Schedule scheduleFor(JsonNode c) {
        String schedule = c.get("schedule").asText();
        double base = c.get("base_lr").asDouble();
        Options o = new Options(schedule, c.get("options"));
        Schedule built = switch (schedule) {
            case "StepLR" -> Schedules.step(base, o.integer("step_size", null), o.real("gamma", 0.1));
            case "MultiStepLR" -> Schedules.multiStep(base, o.integers("milestones"), o.real("gamma", 0.1));
            case "ExponentialLR" -> Schedules.exponential(base, o.real("gamma", null));
            case "CosineAnnealingLR" -> Schedules.cosine(base, o.integer("T_max", null), o.real("eta_min", 0.0));
            case "CosineAnnealingWarmRestarts" -> Schedules.cosineWarmRestarts(base, o.integer("T_0", null),
                    o.integer("T_mult", 1L), o.real("eta_min", 0.0));
            case "LinearLR" -> Schedules.linear(base, o.real("start_factor", 1.0 / 3), o.real("end_factor", 1.0),
                    o.integer("total_iters", 5L));
            case "ConstantLR" -> Schedules.constantFactor(base, o.real("factor", 1.0 / 3), o.integer("total_iters", 5L));
            case "PolynomialLR" -> Schedules.polynomial(base, o.integer("total_iters", 5L), o.real("power", 1.0));
            case "OneCycleLR" -> Schedules.oneCycle(o.real("max_lr", null), o.integer("total_steps", null),
                    o.real("pct_start", 0.3), anneal(o.text("anneal_strategy", "cos")), o.real("div_factor", 25.0),
                    o.real("final_div_factor", 1e4), o.bool("three_phase", false));
            case "CyclicLR" -> {
                // Momentum cycling is the optimizer's business; a case that needs it is not replayable here.
                assertFalse(o.bool("cycle_momentum", true), "CyclicLR cases must set cycle_momentum false");
                long up = o.integer("step_size_up", 2000L);
                yield Schedules.cyclic(o.real("base_lr", null), o.real("max_lr", null), up,
                        o.integer("step_size_down", up), cyclicMode(o.text("mode", "triangular")), o.real("gamma", 1.0));
            }
            case "InverseSqrt" -> Schedules.inverseSqrt(base);
            case "WarmupCosine" -> Schedules.warmup(o.integer("warmup_steps", null), o.real("warmup_start_factor", null),
                    Schedules.cosine(base, o.integer("T_max", null), o.real("eta_min", 0.0)));
            default -> throw new AssertionError("fixture case " + schedule + " has no replay");
        };
        o.assertAllUsed();
        return built;
    }

    static PlateauSchedule plateauFor(JsonNode c) {
        Options o = new Options("ReduceLROnPlateau", c.get("options"));
        PlateauOptions options = new PlateauOptions(
                PlateauOptions.Mode.valueOf(o.text("mode", "min").toUpperCase()),
                o.real("factor", 0.1), (int) (long) o.integer("patience", 10L), o.real("threshold", 1e-4),
                PlateauOptions.ThresholdMode.valueOf(o.text("threshold_mode", "rel").toUpperCase()),
                (int) (long) o.integer("cooldown", 0L), o.real("min_lr", 0.0), o.real("eps", 1e-8));
        o.assertAllUsed();
        return Schedules.reduceOnPlateau(c.get("base_lr").asDouble(), options);
    }

    private static Anneal anneal(String pytorch) {
        return switch (pytorch) {
            case "cos" -> Anneal.COSINE;
            case "linear" -> Anneal.LINEAR;
            default -> throw new AssertionError("unknown anneal_strategy " + pytorch);
        };
    }

    private static CyclicMode cyclicMode(String pytorch) {
        return CyclicMode.valueOf(pytorch.toUpperCase());
    }

    private static double[] doubles(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) values[i] = array.get(i).asDouble();
        return values;
    }

    /**
     * A case's options, tracking which were read: an option the replay ignored (say a new
     * {@code three_phase} in the fixture) fails the test instead of passing by accident.
     */
    private static final class Options {
        private final String schedule;
        private final JsonNode node;
        private final Set<String> used = new HashSet<>(Set.of("note"));

        Options(String schedule, JsonNode node) {
            this.schedule = schedule;
            this.node = node;
        }

        private JsonNode get(String name, Object fallback) {
            used.add(name);
            JsonNode value = node.get(name);
            if (value == null && fallback == null) fail(schedule + " case lacks required option " + name);
            return value;
        }

        double real(String name, Double fallback) {
            JsonNode v = get(name, fallback);
            return v == null ? fallback : v.asDouble();
        }

        Long integer(String name, Long fallback) {
            JsonNode v = get(name, fallback);
            if (v == null) return fallback;
            assertTrue(v.isIntegralNumber(), schedule + " option " + name + " should be an integer, got " + v);
            return v.asLong();
        }

        List<Long> integers(String name) {
            List<Long> values = new ArrayList<>();
            get(name, null).forEach(v -> values.add(v.asLong()));
            return values;
        }

        String text(String name, String fallback) {
            JsonNode v = get(name, fallback);
            return v == null ? fallback : v.asText();
        }

        boolean bool(String name, boolean fallback) {
            JsonNode v = get(name, fallback);
            return v == null ? fallback : v.asBoolean();
        }

        void assertAllUsed() {
            node.fieldNames().forEachRemaining(field -> assertTrue(used.contains(field),
                    schedule + " option " + field + " is not replayed by this test"));
        }
    }
}
