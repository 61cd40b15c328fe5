package dev.descent.search;

import static dev.descent.search.Dimension.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomSamplerTest {
    static final SearchSpace SPACE = SearchSpace.of(
            Parameter.of("x", uniform(-2, 3)),
            Parameter.of("lr", logUniform(1e-5, 1e-1)),
            Parameter.of("units", logIntRange(4, 512)),
            Parameter.of("layers", intRange(1, 9, 2)),
            Parameter.of("opt", categorical("sgd", "adam")),
            Parameter.of("momentum", uniform(0, 1), Condition.when("opt", "sgd")),
            Parameter.of("nesterov", categorical(true, false), Condition.when("opt", "sgd")),
            Parameter.of("dampening", uniform(0, 1), Condition.when("nesterov", false)));

    private static List<Map<String, Object>> draws(long seed, int n) {
        var rng = new SplittableRandom(seed);
        var out = new ArrayList<Map<String, Object>>();
        for (int i = 0; i < n; i++) out.add(new RandomSampler().sample(SPACE, List.of(), Direction.MINIMIZE, rng));
        return out;
    }

    @Test
    void reproduciblePerSeedAndDifferentAcrossSeeds() {
        assertEquals(draws(7, 50), draws(7, 50));
        assertNotEquals(draws(7, 50), draws(8, 50));
    }

    @Test
    void withinBoundsAndConditionalsAbsentWhenInactive() {
        int sgd = 0, nested = 0;
        for (var d : draws(1, 2000)) {
            double x = (Double) d.get("x"), lr = (Double) d.get("lr");
            int units = (Integer) d.get("units"), layers = (Integer) d.get("layers");
            assertTrue(x >= -2 && x < 3, "x=" + x);
            assertTrue(lr >= 1e-5 && lr < 1e-1, "lr=" + lr);
            assertTrue(units >= 4 && units <= 512, "units=" + units);
            assertTrue(layers >= 1 && layers <= 9 && (layers - 1) % 2 == 0, "layers=" + layers);
            boolean isSgd = d.get("opt").equals("sgd");
            assertEquals(isSgd, d.containsKey("momentum"), d.toString());
            assertEquals(isSgd, d.containsKey("nesterov"), d.toString());
            assertEquals(isSgd && Boolean.FALSE.equals(d.get("nesterov")), d.containsKey("dampening"), d.toString());
            if (isSgd) sgd++;
            if (d.containsKey("dampening")) nested++;
        }
        assertTrue(sgd > 850 && sgd < 1150, "sgd chosen " + sgd + " of 2000");
        assertTrue(nested > 380 && nested < 620, "dampening active " + nested + " of 2000");
    }

    @Test
    void logUniformIsUniformInLog() {
        // Under a log-uniform law, P(x < sqrt(low*high)) = 1/2. With n = 4000 draws the fraction has
        // standard deviation sqrt(0.25/n) = 0.0079; 5 sigma = 0.04 keeps the false alarm rate below 1e-6,
        // while a plain uniform draw over [1e-5, 1e-1] would put only ~0.3% below the geometric mean.
        var rng = new SplittableRandom(123);
        var d = logUniform(1e-5, 1e-1);
        double gm = Math.sqrt(1e-5 * 1e-1);
        int n = 4000, below = 0;
        for (int i = 0; i < n; i++) if ((Double) RandomDraws.draw(d, rng) < gm) below++;
        assertEquals(0.5, below / (double) n, 0.04);
    }
}
