package dev.descent.cli.build;

import com.fasterxml.jackson.databind.JsonNode;
import dev.descent.cli.config.ConfigException;
import dev.descent.cli.config.RowReader;
import dev.descent.cli.config.Section;
import dev.descent.optim.OptimizerRegistry;
import dev.descent.optim.OptimizerSpec;
import dev.descent.registry.Row;
import dev.descent.schedule.Schedule;
import java.util.List;
import java.util.Set;

/**
 * Builds the {@link OptimizerSpec} of a config's {@code optimizer:} mapping from the rows of
 * {@link OptimizerRegistry}: options named, typed and defaulted as in PyTorch's
 * {@code torch.optim}; each optimizer accepts only the options PyTorch's accepts, so a misplaced
 * one is reported with the valid ones.
 */
public final class OptimizerFactory {
    public static final List<String> NAMES = OptimizerRegistry.REGISTRY.names();

    private OptimizerFactory() {}

    /** The optimizer's row and learning rate, read before the schedule is built around the rate. */
    public record Head(String name, double lr, Section section) {}

    /** Reads the name and the learning rate. */
    public static Head head(JsonNode node) {
        if (node == null || node.isNull()) throw new ConfigException("optimizer: required, e.g. {name: adam, lr: 0.001}");
        Section s = node.isTextual() ? Section.named("optimizer", node.asText()) : new Section("optimizer", node);
        String name = s.requiredString("name");
        Row<Schedule, OptimizerSpec> row = RowReader.row(OptimizerRegistry.REGISTRY, name, "optimizer.name");
        double lr = s.number("lr", (Double) row.option("lr").fallback());
        if (!(lr >= 0 && Double.isFinite(lr))) throw new ConfigException("optimizer.lr: must be a finite number >= 0, got " + lr);
        return new Head(name, lr, s);
    }

    /** The spec with the learning rate given by {@code lr} (a constant or a schedule). */
    public static OptimizerSpec build(Head head, Schedule lr) {
        Section s = head.section();
        Row<Schedule, OptimizerSpec> row = OptimizerRegistry.REGISTRY.require(head.name());
        var values = RowReader.read(s, row, "optimizer", Set.of("lr"));
        OptimizerSpec spec = RowReader.make(row, lr, values, s, "optimizer (" + head.name() + ")");
        s.finish();
        return spec;
    }
}
