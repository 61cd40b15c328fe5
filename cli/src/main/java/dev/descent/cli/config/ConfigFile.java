package dev.descent.cli.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A run configuration: a YAML file (JSON is YAML too) parsed by Jackson, plus command-line
 * overrides {@code --set a.b=value} applied on top. Relative paths inside it are resolved
 * against the file's directory.
 *
 * @param source the file, for messages and for resolving relative paths
 * @param root   the parsed tree, overrides applied
 */
public record ConfigFile(Path source, ObjectNode root) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public static ConfigFile load(Path path, List<String> overrides) {
        JsonNode tree;
        try {
            tree = YAML.readTree(Files.readString(path));
        } catch (NoSuchFileException e) {
            throw new ConfigException(path + ": file not found");
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String at = loc == null || loc.getLineNr() < 1 ? "" : ":" + loc.getLineNr() + (loc.getColumnNr() > 0 ? ":" + loc.getColumnNr() : "");
            throw new ConfigException(path + at + ": not valid YAML: " + yamlProblem(e.getOriginalMessage()));
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ConfigException(path + ": not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException(path + ": cannot read (" + e.getMessage() + ")");
        }
        if (tree == null || !tree.isObject()) throw new ConfigException(path + ": expected a mapping of keys at the top level");
        ObjectNode root = (ObjectNode) tree;
        for (String o : overrides) apply(root, o);
        return new ConfigFile(path, root);
    }

    /** The top-level section. */
    /**
     * The YAML parser's message on one line: its lines without the quoted excerpt of the file and
     * the caret under it, and without its own "in 'reader', line L, column C" (the message starts
     * with the file, line and column), joined with "; ", invisible characters escaped. (The
     * parser's message spans several lines; found by ConfigFuzzTest.)
     */
    static String yamlProblem(String message) {
        if (message == null || message.isBlank()) return "syntax error";
        String[] lines = message.split("\\R");
        boolean[] skip = new boolean[lines.length];
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.startsWith("in 'reader'") || l.startsWith("at [Source") || l.isEmpty()) skip[i] = true;
            if (!l.isEmpty() && l.chars().allMatch(c -> c == '^')) {
                skip[i] = true;
                if (i > 0) skip[i - 1] = true;
            }
        }
        java.util.List<String> kept = new java.util.ArrayList<>();
        for (int i = 0; i < lines.length; i++) if (!skip[i]) kept.add(lines[i].strip());
        return kept.isEmpty() ? "syntax error" : dev.descent.data.Visible.text(String.join("; ", kept));
    }

    public Section top() {
        return new Section("", root);
    }

    /** A path from the file, resolved against the file's directory. */
    public Path resolve(String relative) {
        Path p = Path.of(relative);
        if (p.isAbsolute()) return p;
        Path dir = source.toAbsolutePath().getParent();
        return dir == null ? p : dir.resolve(p).normalize();
    }

    /** Applies one {@code key.path=value} override; the value is parsed as YAML (numbers, lists, mappings). */
    static void apply(ObjectNode root, String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) throw new ConfigException("--set " + override + ": expected key=value, e.g. optimizer.lr=0.01");
        String[] keys = override.substring(0, eq).trim().split("\\.");
        JsonNode value;
        try {
            value = YAML.readTree(override.substring(eq + 1));
        } catch (JsonProcessingException e) {
            throw new ConfigException("--set " + override + ": value is not valid YAML");
        }
        if (value == null || value.isMissingNode()) value = YAML.getNodeFactory().nullNode();
        ObjectNode at = root;
        for (int i = 0; i < keys.length - 1; i++) {
            JsonNode next = at.get(keys[i]);
            if (next == null || next.isNull()) {
                next = at.putObject(keys[i]);
            } else if (!next.isObject()) {
                throw new ConfigException("--set " + override + ": '" + keys[i] + "' is " + Section.describe(next) + ", not a mapping");
            }
            at = (ObjectNode) next;
        }
        at.set(keys[keys.length - 1], value);
    }
}
