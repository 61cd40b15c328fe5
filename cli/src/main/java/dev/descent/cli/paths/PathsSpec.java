package dev.descent.cli.paths;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.descent.cli.build.OptimizerFactory;
import dev.descent.cli.build.ScheduleFactory;
import dev.descent.cli.config.ConfigException;
import dev.descent.cli.config.ConfigFile;
import dev.descent.cli.config.Section;
import dev.descent.optim.OptimizerSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code descent paths} configuration:
 * <pre>
 * steps: 300                       # default for every surface
 * surfaces:
 *   - function: rosenbrock         # or beale
 *     start: [-1.5, 2.0]
 *     steps: 500                   # optional
 *     view: [-2, 2, -1, 3]         # optional: x from, x to, y from, y to
 *     optimizers:
 *       - {name: sgd, lr: 0.001}
 *       - {label: momentum, name: sgd, lr: 0.001, momentum: 0.9}
 * </pre>
 * Optimizers take the same keys as a run's {@code optimizer:}, plus {@code label} for the legend
 * (default the name). Everything is checked before anything runs.
 */
public record PathsSpec(List<Problem> problems) {
    /** One labelled optimizer. */
    public record Entry(String label, OptimizerSpec spec) {}

    /** One surface with its start, step count, view and optimizers. */
    public record Problem(Surface surface, double x, double y, int steps, double[] view, List<Entry> optimizers) {}

    public static PathsSpec of(ConfigFile file) {
        Section top = file.top();
        int steps = top.integer("steps", 200);
        JsonNode list = top.raw("surfaces");
        top.finish();
        if (list == null || !list.isArray() || list.isEmpty()) throw new ConfigException("surfaces: expected a list, each {function, start, optimizers}");
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) problems.add(problem(new Section("surfaces[" + i + "]", list.get(i)), steps));
        return new PathsSpec(List.copyOf(problems));
    }

    private static Problem problem(Section s, int defaultSteps) {
        String function = s.choice("function", null, Surface.keys());
        if (function == null) throw new ConfigException(s.name("function") + ": required (" + String.join(" or ", Surface.keys()) + ")");
        Surface surface = Surface.valueOf(function.toUpperCase(java.util.Locale.ROOT));
        double[] start = s.numbers("start");
        if (start == null || start.length != 2) throw new ConfigException(s.name("start") + ": expected [x, y]");
        int steps = s.integer("steps", defaultSteps);
        if (steps < 1) throw new ConfigException(s.name("steps") + ": must be at least 1, got " + steps);
        double[] view = s.numbers("view");
        if (view == null) view = new double[] {surface.xLo, surface.xHi, surface.yLo, surface.yHi};
        if (view.length != 4 || !(view[0] < view[1] && view[2] < view[3])) {
            throw new ConfigException(s.name("view") + ": expected [x from, x to, y from, y to] with from < to");
        }
        JsonNode opts = s.raw("optimizers");
        s.finish();
        if (opts == null || !opts.isArray() || opts.isEmpty()) throw new ConfigException(s.name("optimizers") + ": expected a list of optimizers");
        List<Entry> entries = new ArrayList<>();
        for (int k = 0; k < opts.size(); k++) {
            String where = s.name("optimizers") + "[" + k + "]";
            if (!(opts.get(k) instanceof ObjectNode o)) throw new ConfigException(where + ": expected a mapping {name, lr, ...}");
            ObjectNode keys = o.deepCopy();
            JsonNode label = keys.remove("label");
            try {
                OptimizerFactory.Head head = OptimizerFactory.head(keys);
                OptimizerSpec spec = OptimizerFactory.build(head, ScheduleFactory.build(null, head.lr(), steps).schedule());
                entries.add(new Entry(label == null ? head.name() : label.asText(), spec));
            } catch (ConfigException e) {
                throw new ConfigException(where + ": " + e.getMessage());
            }
        }
        return new Problem(surface, start[0], start[1], steps, view, List.copyOf(entries));
    }
}
