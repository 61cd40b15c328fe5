package dev.descent.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.descent.registry.Values;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rows of {@link ScheduleRegistry} hold PyTorch's defaults, and the short factories that read them changed no rate. */
class ScheduleRegistryTest {
    private static void assertSameRates(Schedule want, Schedule got, long steps) {
        for (long t = 0; t <= steps; t++) assertEquals(want.lr(t), got.lr(t), 0.0, "step " + t);
    }

    @Test
    void shortFactoriesGiveTheLongOnesWithPyTorchsDefaults() {
        // OneCycleLR(pct_start=0.3, anneal_strategy='cos', div_factor=25., final_div_factor=1e4, three_phase=False)
        assertSameRates(Schedules.oneCycle(0.1, 50, 0.3, Anneal.COSINE, 25, 1e4, false), Schedules.oneCycle(0.1, 50), 50);
        // CyclicLR(step_size_down=None (= step_size_up), gamma=1.)
        assertSameRates(Schedules.cyclic(0.01, 0.1, 7, 7, CyclicMode.EXP_RANGE, 1.0), Schedules.cyclic(0.01, 0.1, 7, CyclicMode.EXP_RANGE), 60);
    }

    /** Each row's defaults, in the row's order; computed and required options show as such. */
    @Test
    void defaultsAreTorchsSchedulerSignatures() {
        Map<String, String> torch = Map.of(
                "step", "step_size=required gamma=0.1 warmup_steps=0 warmup_start_factor=0.3333333333333333",
                "cosine", "T_max=computed eta_min=0.0 warmup_steps=0 warmup_start_factor=0.3333333333333333",
                "onecycle", "anneal_strategy=cos max_lr=computed total_steps=computed pct_start=0.3 div_factor=25.0 final_div_factor=10000.0"
                        + " three_phase=false",
                "cyclic", "step_size_up=2000 mode=triangular base_lr=computed max_lr=required step_size_down=computed gamma=1.0",
                "plateau", "monitor=val_loss mode=min threshold_mode=rel factor=0.1 patience=10 threshold=1.0E-4 cooldown=0 min_lr=0.0 eps=1.0E-8"
                        + " warmup_steps=0 warmup_start_factor=0.3333333333333333");
        for (var e : torch.entrySet()) {
            var row = ScheduleRegistry.REGISTRY.require(e.getKey());
            String got = String.join(" ", row.options().stream().map(o -> o.name() + "="
                    + (o.required() ? "required" : o.computed() != null ? "computed" : o.fallback())).toList());
            assertEquals(e.getValue(), got, e.getKey());
        }
    }

    @Test
    void aWarmupGoesInFrontOfAnySchedulePlateauIncluded() {
        var cosine = ScheduleRegistry.REGISTRY.require("cosine");
        Schedule warm = cosine.make(new ScheduleRegistry.Base(0.1, 40), Values.of(cosine).with("warmup_steps", 10L));
        assertSameRates(Schedules.warmup(10, 1.0 / 3, Schedules.cosine(0.1, 30, 0)), warm, 40);
        var plateau = ScheduleRegistry.REGISTRY.require("plateau");
        Schedule warmPlateau = plateau.make(new ScheduleRegistry.Base(0.1, 40), Values.of(plateau).with("warmup_steps", 5L));
        assertEquals(0.1 / 3, warmPlateau.lr(0), 1e-15, "the warmup starts at a third");
        assertEquals(0.1, warmPlateau.lr(5), 0.0, "then the plateau's rate");
        assertEquals(1, warmPlateau.plateaus().size(), "the rule behind the warmup is there to be fed and saved");
        assertEquals("[0.1]", Arrays.toString(new double[] {plateau.make(new ScheduleRegistry.Base(0.1, 40)).lr(3)}));
    }
}
