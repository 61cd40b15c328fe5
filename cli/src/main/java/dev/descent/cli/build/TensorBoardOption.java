package dev.descent.cli.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.descent.cli.config.ConfigException;
import dev.descent.cli.config.ConfigFile;
import dev.descent.cli.config.Section;
import java.nio.file.Path;

/**
 * The {@code callbacks.tensorboard} key: {@code true} (event files in {@code RUN_DIR/tb}), a
 * directory (relative to the config file), or {@code {dir, histogram_every}}; {@code false} or
 * absent for none. {@code histogram_every} is the number of steps between weight and gradient
 * histograms, 0 (the default) for one per epoch.
 *
 * @param dir            where the run's event files go
 * @param histogramEvery steps between histograms, 0 for once per epoch
 */
public record TensorBoardOption(Path dir, int histogramEvery) {
    /** The default directory under the run directory. */
    public static final String DEFAULT_DIR = "tb";
    private static final String KEY = "tensorboard";
    private static final String SHAPE = "expected true, false, a directory or {dir: DIR, histogram_every: N}";

    /** The option of a {@code callbacks:} section, or null when TensorBoard logging is off. */
    static TensorBoardOption of(Section callbacks, Path runDir, ConfigFile config) {
        JsonNode node = callbacks.raw(KEY);
        String key = callbacks.name(KEY);
        if (node == null || node.isNull() || (node.isBoolean() && !node.asBoolean())) return null;
        if (node.isBoolean()) return new TensorBoardOption(runDir.resolve(DEFAULT_DIR), 0);
        if (node.isTextual()) return new TensorBoardOption(directory(key, node.asText(), config), 0);
        if (!node.isObject()) throw new ConfigException(key + ": " + SHAPE + ", got " + node);
        Section s = callbacks.section(KEY);
        String dir = s.string("dir", null);
        int every = s.integer("histogram_every", 0);
        s.finish();
        if (every < 0) throw new ConfigException(s.name("histogram_every") + ": must be >= 0 (0: once per epoch), got " + every);
        return new TensorBoardOption(dir == null ? runDir.resolve(DEFAULT_DIR) : directory(s.name("dir"), dir, config), every);
    }

    /**
     * The option of the configuration's {@code callbacks:} section, or null when TensorBoard logging
     * is off: for runs that use no other callback (a federated run logs per round).
     */
    public static TensorBoardOption of(ConfigFile config, Path runDir) {
        return of(config.top().section("callbacks"), runDir, config);
    }

    private static Path directory(String key, String dir, ConfigFile config) {
        if (dir.isBlank()) throw new ConfigException(key + ": empty directory name; " + SHAPE);
        return config.resolve(dir);
    }

    /**
     * The configuration with its TensorBoard directory set to {@code dir}, when it turns TensorBoard
     * logging on; otherwise the configuration itself. {@code descent compare} and {@code descent tune}
     * give each variant and trial its own run under one directory this way, so TensorBoard overlays them.
     */
    public static ConfigFile redirect(ConfigFile config, Path dir) {
        if (!enabled(config)) return config;
        ObjectNode root = config.root().deepCopy();
        ObjectNode callbacks = (ObjectNode) root.get("callbacks");
        JsonNode node = callbacks.get(KEY);
        String abs = dir.toAbsolutePath().normalize().toString();
        if (node instanceof ObjectNode o) o.put("dir", abs);
        else callbacks.set(KEY, TextNode.valueOf(abs));
        return new ConfigFile(config.source(), root);
    }

    /** Whether the configuration turns TensorBoard logging on (its form is checked when the run is built). */
    public static boolean enabled(ConfigFile config) {
        JsonNode callbacks = config.root().get("callbacks");
        if (!(callbacks instanceof ObjectNode)) return false;
        JsonNode node = callbacks.get(KEY);
        return node != null && !node.isNull() && !(node.isBoolean() && !node.asBoolean());
    }
}
