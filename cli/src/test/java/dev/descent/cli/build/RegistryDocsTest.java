package dev.descent.cli.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.descent.cli.config.ConfigException;
import dev.descent.loss.LossRegistry;
import dev.descent.metric.MetricRegistry;
import dev.descent.nn.LayerRegistry;
import dev.descent.optim.OptimizerRegistry;
import dev.descent.registry.Option;
import dev.descent.registry.Registry;
import dev.descent.registry.Row;
import dev.descent.schedule.ScheduleRegistry;
import dev.descent.schedule.Schedules;
import dev.descent.tensor.Generator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every row of every registry is reachable from a config file and documented in README.md's key
 * table: a row added without its docs, or without a way to reach it, fails here.
 */
class RegistryDocsTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static JsonNode yaml(String s) {
        try {
            return YAML.readTree(s);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The README's key-table line of a config key ({@code | `optimizer` | ... |}). */
    private static String keyTableLine(String key) throws IOException {
        Path readme = Path.of("..", "README.md");
        String prefix = "| `" + key + "` |";
        return Files.readAllLines(readme).stream().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("README.md has no key-table line for " + key));
    }

    /**
     * Each row builds from YAML ({@code {name: row}} with a value for each required option), and
     * the README line names the row and each of its options.
     */
    private static <C, T> void check(Registry<C, T> registry, String key, Function<String, Object> fromYaml) throws IOException {
        String docs = keyTableLine(key);
        for (Row<C, T> row : registry.rows()) {
            assertTrue(docs.contains("`" + row.name() + "`"), "README's " + key + " line does not name " + row.name());
            StringBuilder y = new StringBuilder("{name: " + row.name());
            for (Option o : row.options()) {
                assertTrue(docs.contains("`" + o.name() + "`"), "README's " + key + " line does not name option " + o.name() + " of " + row.name());
                if (o.required()) y.append(", ").append(o.name()).append(": ").append(switch (o.type()) {
                    case STEPS, WHOLE, COUNT, SIZE -> "5";
                    case STEP_LIST -> "[5]";
                    case NUMBER -> "0.5";
                    default -> throw new AssertionError("no sample value for a required " + o.type());
                });
            }
            String config = y.append("}").toString();
            assertNotNull(fromYaml.apply(config), config);
        }
    }

    @Test
    void everyOptimizerIsReachableAndDocumented() throws IOException {
        check(OptimizerRegistry.REGISTRY, "optimizer", config -> {
            var head = OptimizerFactory.head(yaml(config));
            return OptimizerFactory.build(head, Schedules.constant(head.lr()));
        });
    }

    @Test
    void everyScheduleIsReachableAndDocumented() throws IOException {
        check(ScheduleRegistry.REGISTRY, "schedule", config -> ScheduleFactory.build(yaml(config), 0.1, 100).schedule());
    }

    @Test
    void everyLossIsReachableAndDocumented() throws IOException {
        check(LossRegistry.REGISTRY, "loss", config -> LossFactory.build(yaml(config)).loss());
    }

    /**
     * Every layer is reachable from a {@code model:} list ({@code [name: {options}]}) for one of
     * three example shapes, images, sequences or token ids (vocabulary 10), and documented in
     * README's model line: the sample options (5 for a size) fit all three (5 heads divide the
     * width 10, a max_len of 5 covers 4 positions, a 5x5 kernel fits 6x6 images).
     */
    @Test
    void everyLayerIsReachableAndDocumented() throws IOException {
        List<int[]> shapes = List.of(new int[] {2, 6, 6}, new int[] {4, 10}, new int[] {4});
        check(LayerRegistry.REGISTRY, "model", config -> {
            ObjectNode options = (ObjectNode) yaml(config);
            String name = options.remove("name").asText();
            var list = YAML.createArrayNode().add(YAML.createObjectNode().set(name, options));
            StringBuilder refusals = new StringBuilder();
            for (int[] shape : shapes) {
                try {
                    return ModelFactory.build(list, shape, 10, Generator.seeded(0));
                } catch (ConfigException e) {
                    refusals.append("\n").append(e.getMessage());
                }
            }
            throw new AssertionError(list + " builds for none of the sample shapes:" + refusals);
        });
    }

    /**
     * Every metric is reachable from a {@code metrics:} list beside a loss of its task, and named in
     * README's metrics line, literally or as a documented family ({@code `f1_*`} with {@code `macro`}).
     */
    @Test
    void everyMetricIsReachableAndDocumented() throws IOException {
        String docs = keyTableLine("metrics");
        for (var registry : List.of(MetricRegistry.CLASSIFICATION, MetricRegistry.REGRESSION)) {
            var loss = LossFactory.build(yaml(registry == MetricRegistry.REGRESSION ? "mse" : "cross_entropy"));
            for (String name : registry.names()) {
                int cut = name.indexOf('_');
                boolean family = cut > 0 && docs.contains("`" + name.substring(0, cut) + "_*`") && docs.contains("`" + name.substring(cut + 1) + "`");
                assertTrue(docs.contains("`" + name + "`") || family, "README's metrics line does not name " + name);
                var built = MetricFactory.build(yaml("[" + name + "]"), loss);
                assertEquals(name, built.get(0).name());
            }
        }
    }
}
