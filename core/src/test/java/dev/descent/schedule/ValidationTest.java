package dev.descent.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.descent.schedule.PlateauOptions.Mode;
import dev.descent.schedule.PlateauOptions.ThresholdMode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad options fail at construction with a message that names the factory, the option and the value. */
class ValidationTest {

    static Stream<Arguments> badOptions() {
        Schedule cos = Schedules.cosine(0.1, 10, 0);
        PlateauOptions defaults = PlateauOptions.defaults();
        return Stream.of(
                bad("constant: lr must be a finite number >= 0, got -1.0", () -> Schedules.constant(-1)),
                bad("constant: lr must be a finite number >= 0, got NaN", () -> Schedules.constant(Double.NaN)),
                bad("step: step_size must be positive, got 0", () -> Schedules.step(0.1, 0, 0.5)),
                bad("step: gamma must be a finite number > 0, got 0.0", () -> Schedules.step(0.1, 10, 0)),
                bad("multiStep: milestones must be strictly increasing and >= 0, got [5, 5]",
                        () -> Schedules.multiStep(0.1, List.of(5L, 5L), 0.1)),
                bad("multiStep: milestones must be strictly increasing and >= 0, got [-1]",
                        () -> Schedules.multiStep(0.1, List.of(-1L), 0.1)),
                bad("exponential: gamma must be a finite number > 0, got Infinity",
                        () -> Schedules.exponential(0.1, Double.POSITIVE_INFINITY)),
                bad("cosine: T_max must be positive, got 0", () -> Schedules.cosine(0.1, 0, 0)),
                bad("cosine: eta_min must be a finite number >= 0, got -0.1", () -> Schedules.cosine(0.1, 10, -0.1)),
                bad("cosineWarmRestarts: T_0 must be positive, got 0", () -> Schedules.cosineWarmRestarts(0.1, 0, 1, 0)),
                bad("cosineWarmRestarts: T_mult must be >= 1, got 0", () -> Schedules.cosineWarmRestarts(0.1, 10, 0, 0)),
                bad("linear: start_factor must be in (0, 1], got 0.0", () -> Schedules.linear(0.1, 0, 1, 10)),
                bad("linear: end_factor must be in [0.0, 1.0], got 1.5", () -> Schedules.linear(0.1, 0.5, 1.5, 10)),
                bad("linear: total_iters must be positive, got 0", () -> Schedules.linear(0.1, 0.5, 1, 0)),
                bad("constantFactor: factor must be in [0.0, 1.0], got 2.0", () -> Schedules.constantFactor(0.1, 2, 5)),
                bad("constantFactor: total_iters must be positive, got -3", () -> Schedules.constantFactor(0.1, 0.5, -3)),
                bad("polynomial: power must be a finite number >= 0, got -1.0", () -> Schedules.polynomial(0.1, 10, -1)),
                bad("polynomial: total_iters must be positive, got 0", () -> Schedules.polynomial(0.1, 0, 1)),
                bad("oneCycle: pct_start must be in [0.0, 1.0], got 1.5",
                        () -> Schedules.oneCycle(0.5, 60, 1.5, Anneal.COSINE, 25, 1e4, false)),
                bad("oneCycle: anneal_strategy must not be null",
                        () -> Schedules.oneCycle(0.5, 60, 0.3, null, 25, 1e4, false)),
                bad("oneCycle: div_factor must be a finite number > 0, got 0.0",
                        () -> Schedules.oneCycle(0.5, 60, 0.3, Anneal.COSINE, 0, 1e4, false)),
                // pct_start * total_steps = 1 puts the end of the warm-up at step 0: PyTorch divides by zero.
                bad("oneCycle: pct_start 0.05 with total_steps 20 gives a phase from step 0.0 to step 0.0;"
                                + " every phase needs positive length",
                        () -> Schedules.oneCycle(0.5, 20, 0.05, Anneal.COSINE, 25, 1e4, false)),
                // Three phases with pct_start 0.6 would end the second phase (step 70) after the run (59).
                bad("oneCycle: pct_start 0.6 with total_steps 60 (three_phase) gives a phase from step 70.0 to step 59.0;"
                                + " every phase needs positive length",
                        () -> Schedules.oneCycle(0.5, 60, 0.6, Anneal.LINEAR, 25, 1e4, true)),
                bad("cyclic: step_size_up must be positive, got 0",
                        () -> Schedules.cyclic(0.01, 0.1, 0, CyclicMode.TRIANGULAR)),
                bad("cyclic: mode must not be null", () -> Schedules.cyclic(0.01, 0.1, 5, null)),
                bad("cyclic: gamma must be a finite number > 0, got 0.0",
                        () -> Schedules.cyclic(0.01, 0.1, 5, 5, CyclicMode.EXP_RANGE, 0)),
                bad("sequential: schedules must not be empty", () -> Schedules.sequential(List.of(), List.of())),
                bad("sequential: needs one milestone fewer than schedules, got 2 schedules and 2 milestones [5, 10]",
                        () -> Schedules.sequential(List.of(cos, cos), List.of(5L, 10L))),
                bad("sequential: milestones must be positive and strictly increasing, got [0]",
                        () -> Schedules.sequential(List.of(cos, cos), List.of(0L))),
                bad("sequential: milestones must be positive and strictly increasing, got [10, 10]",
                        () -> Schedules.sequential(List.of(cos, cos, cos), List.of(10L, 10L))),
                bad("warmup: warmup_steps must be >= 0, got -1", () -> Schedules.warmup(-1, 0.1, cos)),
                bad("warmup: start_factor must be in (0, 1], got 0.0", () -> Schedules.warmup(10, 0, cos)),
                bad("warmup: then must not be null", () -> Schedules.warmup(10, 0.1, null)),
                bad("warmupStableDecay: min_lr must be in [0.0, 0.1], got 0.2",
                        () -> Schedules.warmupStableDecay(0.1, 10, 10, 10, 0.2, Anneal.LINEAR)),
                bad("warmupStableDecay: stable_steps must be >= 0, got -5",
                        () -> Schedules.warmupStableDecay(0.1, 10, -5, 10, 0, Anneal.LINEAR)),
                bad("plateau: factor must be in (0, 1), got 1.0", () -> defaults.withFactor(1.0)),
                bad("plateau: factor must be in (0, 1), got 0.0", () -> defaults.withFactor(0.0)),
                bad("plateau: patience must be >= 0, got -1", () -> defaults.withPatience(-1)),
                bad("plateau: threshold must be a finite number >= 0, got NaN",
                        () -> defaults.withThreshold(Double.NaN, ThresholdMode.ABS)),
                bad("plateau: threshold_mode must not be null", () -> defaults.withThreshold(0.1, null)),
                bad("plateau: cooldown must be >= 0, got -2", () -> defaults.withCooldown(-2)),
                bad("plateau: min_lr must be a finite number >= 0, got -1.0", () -> defaults.withMinLr(-1)),
                bad("plateau: eps must be a finite number >= 0, got -1.0E-8", () -> defaults.withEps(-1e-8)),
                bad("plateau: mode must not be null", () -> defaults.withMode(null)),
                bad("plateau: inner schedule must not be null", () -> Schedules.plateau(null, defaults)),
                bad("plateau state: scale must be in [0.0, 1.0], got 2.0", () -> new PlateauState(0, 1, 0, 0, 2)),
                bad("plateau state: best must not be NaN", () -> new PlateauState(0, Double.NaN, 0, 0, 1)),
                bad("plateau state: bad_reports must be >= 0, got -1", () -> new PlateauState(3, 1, -1, 0, 1)),
                // Steps are counts of optimizer steps taken.
                bad("cosine: step must be >= 0, got -1", () -> cos.lr(-1)),
                bad("sequential: step must be >= 0, got -3", () -> cos.then(5, cos).lr(-3)),
                bad("plateau: step must be >= 0, got -1", () -> Schedules.reduceOnPlateau(0.1, defaults).report(-1, 1.0)),
                bad("oneCycle: step 61 is past total_steps 60 (PyTorch raises here too); make total_steps cover the whole run",
                        () -> Schedules.oneCycle(0.5, 60).lr(61)));
    }

    private static Arguments bad(String message, Executable call) {
        return Arguments.of(message, call);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOptions")
    void rejectsWithAClearMessage(String message, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(message, e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inconsistentStates")
    void restoreRejectsAStateTheseOptionsCannotProduce(String message, PlateauState state) {
        PlateauOptions options = PlateauOptions.defaults().withPatience(2).withCooldown(3);
        PlateauSchedule plateau = Schedules.reduceOnPlateau(0.1, options);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plateau.restore(state));
        assertEquals(message, e.getMessage());
        assertEquals(PlateauState.initial(options), plateau.state(), "a rejected restore leaves the state alone");
    }

    static Stream<Arguments> inconsistentStates() {
        return Stream.of(
                Arguments.of("plateau: cannot restore a state with bad_reports 3 under patience 2"
                        + " (a reduction resets it first)", new PlateauState(5, 1.0, 3, 0, 1.0)),
                Arguments.of("plateau: cannot restore a state with cooldown_left 4 under cooldown 3",
                        new PlateauState(5, 1.0, 0, 4, 0.1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edgesThatAreValid")
    void acceptsTheEdgesOfEachRange(String what, Executable call) {
        // The boundaries PyTorch accepts must stay accepted, or configs that work there break here.
        org.junit.jupiter.api.Assertions.assertDoesNotThrow(call, what);
    }

    static Stream<Arguments> edgesThatAreValid() {
        return Stream.of(
                Arguments.of("lr 0", (Executable) () -> Schedules.constant(0)),
                Arguments.of("milestone 0", (Executable) () -> Schedules.multiStep(0.1, List.of(0L), 0.1)),
                Arguments.of("start_factor 1", (Executable) () -> Schedules.linear(0.1, 1, 0, 5)),
                Arguments.of("ConstantLR factor 0", (Executable) () -> Schedules.constantFactor(0.1, 0, 5)),
                Arguments.of("warmup 0 steps", (Executable) () -> Schedules.warmup(0, 0.5, Schedules.constant(0.1))),
                Arguments.of("oneCycle lr(total_steps)", (Executable) () -> Schedules.oneCycle(0.5, 60).lr(60)),
                Arguments.of("plateau patience 0, threshold 0, eps 0", (Executable) () -> new PlateauOptions(
                        Mode.MAX, 0.5, 0, 0, ThresholdMode.ABS, 0, 0, 0)));
    }
}
