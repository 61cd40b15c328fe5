package dev.descent.cli.report;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScaleTest {
    private static final double EXACT = 1e-12;

    private static List<String> labels(Scale s) {
        return s.ticks().stream().map(Scale.Tick::label).toList();
    }

    /** Four decades from 1e-5 to 1e-1 are four equal quarters, with a tick at each power of ten. */
    @Test
    void aLogAxisGivesEachDecadeTheSameLength() {
        Scale.Log s = new Scale.Log(1e-5, 1e-1);
        assertEquals(0.5, s.position(1e-3), EXACT);
        assertEquals(0.25, s.position(1e-4), EXACT);
        assertEquals(List.of("1e-5", "1e-4", "0.001", "0.01", "0.1"), labels(s));
        assertEquals(1.0, s.ticks().get(4).position(), EXACT);
    }

    @Test
    void aNarrowLogAxisFallsBackToOneTwoFiveTicks() {
        assertEquals(List.of("0.02", "0.05"), labels(new Scale.Log(0.015, 0.08)));
        assertEquals(List.of("20", "50", "100"), labels(new Scale.Log(16, 128)));
    }

    @Test
    void linearTicksAreRoundAndLabelledWithTheDecimalsTheirSpacingNeeds() {
        assertEquals(List.of("0", "0.2", "0.4", "0.6", "0.8", "1.0"), labels(new Scale.Linear(0, 1)));
        assertEquals(List.of("20", "40", "60", "80", "100", "120"), labels(new Scale.Linear(16, 128)));
        assertEquals(List.of("0", "0.5", "1.0", "1.5", "2.0", "2.5", "3.0"), labels(new Scale.Linear(0, 3)));
        assertEquals(List.of("0", "1", "2", "3"), new Scale.Linear(0, 3).ticks(1).stream().map(Scale.Tick::label).toList(), "trial numbers: whole steps only");
    }

    @Test
    void aSingleValueSitsInTheMiddleWithOneTick() {
        Scale.Linear s = Scale.linearOver(new double[] {0.25, 0.25, Double.NaN});
        assertEquals(0.5, s.position(0.25), EXACT);
        assertEquals(List.of("0.25"), labels(s));
        Scale.Log l = Scale.logOver(new double[] {3e-4});
        assertEquals(0.5, l.position(3e-4), EXACT);
        assertEquals(List.of("3e-4"), labels(l));
    }

    @Test
    void categoriesTakeEqualSlots() {
        Scale.Categorical s = new Scale.Categorical(List.of("sgd", "adam", "lion"));
        assertEquals(1 / 6.0, s.position(0), EXACT);
        assertEquals(0.5, s.position(1), EXACT);
        assertEquals(5 / 6.0, s.position(2), EXACT);
        assertEquals(List.of("sgd", "adam", "lion"), labels(s));
    }

    @Test
    void compactNumbersKeepThreeDigitsAndShortExponents() {
        assertEquals("1e-5", Scale.compact(1e-5));
        assertEquals("3.16e5", Scale.compact(316228));
        assertEquals("0.00316", Scale.compact(0.0031623));
        assertEquals("128", Scale.compact(128));
        assertEquals("31600", Scale.compact(31600));
        assertEquals("-2.5", Scale.compact(-2.5));
    }
}
