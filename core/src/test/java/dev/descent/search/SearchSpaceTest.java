package dev.descent.search;

import static dev.descent.search.Dimension.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class SearchSpaceTest {
    private static void rejects(String fragment, Executable e) {
        var ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(fragment), () -> "message '" + ex.getMessage() + "' should mention " + fragment);
    }

    @Test
    void rejectsBadDimensions() {
        rejects("low < high", () -> uniform(1, 1));
        rejects("low < high", () -> uniform(2, 1));
        rejects("finite", () -> uniform(0, Double.POSITIVE_INFINITY));
        rejects("positive", () -> logUniform(0, 1));
        rejects("positive", () -> logUniform(-1, 1));
        rejects("positive", () -> logIntRange(0, 8));
        rejects("step 1", () -> new IntRange(1, 9, 2, true));
        rejects("step >= 1", () -> intRange(0, 9, 0));
        rejects("low < high", () -> intRange(3, 3));
        rejects("at least one", () -> new Categorical(List.of()));
        rejects("distinct", () -> categorical("a", "a"));
    }

    @Test
    void rejectsBadSpaces() {
        rejects("empty", () -> new SearchSpace(List.of()));
        rejects("'lr'", () -> SearchSpace.of(Parameter.of("lr", uniform(0, 1)), Parameter.of("lr", uniform(0, 2))));
        rejects("unknown parameter 'opt'", () -> SearchSpace.of(Parameter.of("momentum", uniform(0, 1), Condition.when("opt", "sgd"))));
        rejects("'momentum'", () -> SearchSpace.of(Parameter.of("opt", categorical("sgd", "adam")),
                Parameter.of("momentum", uniform(0, 1), Condition.when("opt", "rmsprop"))));
        rejects("not one of its choices", () -> SearchSpace.of(Parameter.of("opt", categorical("sgd", "adam")),
                Parameter.of("momentum", uniform(0, 1), Condition.when("opt", "rmsprop"))));
        rejects("not categorical", () -> SearchSpace.of(Parameter.of("x", uniform(0, 1)),
                Parameter.of("y", uniform(0, 1), Condition.when("x", 0.5))));
        rejects("declared before", () -> SearchSpace.of(Parameter.of("momentum", uniform(0, 1), Condition.when("opt", "sgd")),
                Parameter.of("opt", categorical("sgd", "adam"))));
    }

    @Test
    void paramsHaveTypedGettersAndNameMissingOnes() {
        Params p = new Params(Map.of("lr", 0.1, "layers", 3, "opt", "sgd", "big", 5L));
        assertEquals(0.1, p.getDouble("lr"));
        assertEquals(3, p.getInt("layers"));
        assertEquals(3L, p.getLong("layers"));
        assertEquals(5, p.getInt("big"));
        assertEquals("sgd", p.getString("opt"));
        rejects("'momentum'", () -> p.getDouble("momentum"));
        rejects("not a string", () -> p.getString("lr"));
        assertThrows(UnsupportedOperationException.class, () -> p.values().put("x", 1));
    }

    @Test
    void intRangeGridSize() {
        assertEquals(5, intRange(0, 9, 2).count());
        assertEquals(8, intRange(0, 9, 2).top());
    }
}
