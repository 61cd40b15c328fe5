package dev.descent.cli.build;

import com.fasterxml.jackson.databind.JsonNode;
import dev.descent.cli.config.RowReader;
import dev.descent.cli.config.Section;
import dev.descent.registry.Row;
import dev.descent.schedule.Schedule;
import dev.descent.schedule.ScheduleRegistry;
import dev.descent.schedule.Schedules;
import java.util.List;
import java.util.Set;

/**
 * Builds the learning-rate schedule of a config's {@code schedule:} mapping from the rows of
 * {@link ScheduleRegistry}, options named as in PyTorch's {@code torch.optim.lr_scheduler} (every
 * step count counts optimizer steps; see the registry for the defaults and the warmup).
 */
public final class ScheduleFactory {
    public static final List<String> NAMES = ScheduleRegistry.REGISTRY.names();

    private ScheduleFactory() {}

    /**
     * The schedule and, for plateau, the metric it watches.
     *
     * @param monitor the metric a reduce-on-plateau rule is fed (null for other schedules)
     */
    public record Built(Schedule schedule, String monitor) {}

    /**
     * @param node       the {@code schedule:} mapping, or null for a constant rate
     * @param lr         the optimizer's learning rate (the schedule's base rate)
     * @param totalSteps optimizer steps the run will take, for defaults
     */
    public static Built build(JsonNode node, double lr, long totalSteps) {
        if (node == null || node.isNull()) return new Built(Schedules.constant(lr), null);
        Section s = node.isTextual() ? Section.named("schedule", node.asText()) : new Section("schedule", node);
        String name = s.requiredString("name");
        Row<ScheduleRegistry.Base, Schedule> row = RowReader.row(ScheduleRegistry.REGISTRY, name, "schedule.name");
        var values = RowReader.read(s, row, "schedule", Set.of());
        Schedule schedule = RowReader.make(row, new ScheduleRegistry.Base(lr, totalSteps), values, s, "schedule");
        s.finish();
        return new Built(schedule, row.option("monitor") == null ? null : values.text("monitor"));
    }
}
