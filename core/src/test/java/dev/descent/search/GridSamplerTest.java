package dev.descent.search;

import static dev.descent.search.Dimension.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GridSamplerTest {
    @Test
    void enumeratesExactlyTheProductInFixedOrder() {
        var space = SearchSpace.of(Parameter.of("opt", categorical("sgd", "adam", "rmsprop")),
                Parameter.of("lr", logUniform(1e-4, 1)), Parameter.of("layers", intRange(1, 3)));
        var grid = new GridSampler(Map.of("lr", List.of(1e-3, 1e-2)));
        var study = Study.create(space, Direction.MINIMIZE, grid, Pruner.none(), 0);
        study.optimize(t -> t.params().getDouble("lr"), 100, null, 1);
        var trials = study.trials();
        assertEquals(3 * 2 * 3, trials.size(), "grid should stop when exhausted");
        var seen = new HashSet<Map<String, Object>>();
        for (var t : trials) assertTrue(seen.add(t.params().values()), "duplicate " + t.params());
        for (String o : List.of("sgd", "adam", "rmsprop"))
            for (double lr : List.of(1e-3, 1e-2))
                for (int l = 1; l <= 3; l++) assertTrue(seen.contains(Map.of("opt", o, "lr", lr, "layers", l)), o + " " + lr + " " + l);
        assertEquals(Map.of("opt", "sgd", "lr", 1e-3, "layers", 1), trials.get(0).params().values());
        assertEquals(Map.of("opt", "sgd", "lr", 1e-3, "layers", 2), trials.get(1).params().values());
        assertThrows(SearchExhaustedException.class, study::ask);
    }

    @Test
    void conditionalParametersBranchOnlyWhereActive() {
        var space = SearchSpace.of(Parameter.of("opt", categorical("sgd", "adam")),
                Parameter.of("momentum", uniform(0, 1), Condition.when("opt", "sgd")));
        var combos = new GridSampler(Map.of("momentum", List.of(0.0, 0.9))).combinations(space);
        assertEquals(List.of(Map.of("opt", "sgd", "momentum", 0.0), Map.of("opt", "sgd", "momentum", 0.9), Map.of("opt", "adam")), combos);
    }

    @Test
    void concurrentGridHandsOutEachPointOnce() {
        var space = SearchSpace.of(Parameter.of("a", intRange(0, 9)), Parameter.of("b", categorical("x", "y")));
        var study = Study.create(space, Direction.MINIMIZE, new GridSampler(), Pruner.none(), 0);
        study.optimize(t -> t.params().getInt("a"), 1000, Duration.ofMinutes(1), 4);
        var seen = new HashSet<Map<String, Object>>();
        for (var t : study.trials()) assertTrue(seen.add(t.params().values()));
        assertEquals(20, seen.size());
    }

    @Test
    void rejectsMissingOrOutOfRangeGrids() {
        var space = SearchSpace.of(Parameter.of("lr", logUniform(1e-4, 1)));
        var e = assertThrows(IllegalArgumentException.class, () -> new GridSampler().combinations(space));
        assertTrue(e.getMessage().contains("'lr'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new GridSampler(Map.of("lr", List.of(2.0))).combinations(space));
        assertTrue(e.getMessage().contains("'lr'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new GridSampler(Map.of("nope", List.of(2.0))).combinations(space));
        assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
    }
}
