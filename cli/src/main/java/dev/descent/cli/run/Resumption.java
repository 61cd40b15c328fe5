package dev.descent.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.descent.cli.config.ConfigException;
import dev.descent.cli.report.Report;
import dev.descent.train.RunFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code descent train RUN.yaml --resume RUN_DIR|CHECKPOINT}: where a resumed run continues and
 * what it may change. Everything here only reads until {@link #prepareLog} is called, after every
 * check has passed, so a refused resume leaves the run directory as it was.
 *
 * <ul>
 *   <li>A run directory resumes from its {@code last.safetensors}; a checkpoint file from itself,
 *       into its directory. A run killed before its first checkpoint (no last.safetensors yet)
 *       starts again from step 0 in place.</li>
 *   <li>The configuration must be the one the run recorded in {@code config.yaml}; a changed
 *       value is refused, naming the first changed key, unless {@code --allow-changes} says it is
 *       meant, and then the changed keys are recorded in {@code metrics.jsonl} as a
 *       {@code {"kind":"resume","step":S,"changed":[...]}} line.</li>
 *   <li>A finished run (its {@code end} line says completed or stopped by early stopping, and its
 *       report is written) is left as it is.</li>
 *   <li>{@code metrics.jsonl} keeps what the checkpoint covers, up to its epoch line, and the
 *       resumed run appends from there, so each step appears once and the times run on. Temporary
 *       files a killed process left behind are removed.</li>
 * </ul>
 *
 * @param runDir     the run directory written into
 * @param checkpoint   the checkpoint to continue from, or null to start again from step 0 in place
 * @param allowChanges whether a configuration that differs from the run's is meant ({@code --allow-changes})
 */
public record Resumption(Path runDir, Path checkpoint, boolean allowChanges) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Keys of a configuration that a training run does not read (tune's and compare's). */
    private static final List<String> NOT_TRAINING = List.of("search", "compare");

    /**
     * Where {@code --resume ARG} continues.
     *
     * @param out {@code --out}, or null to write into the run the argument names
     */
    public static Resumption locate(Path arg, Path out, boolean allowChanges) {
        Path abs = arg.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            Path last = abs.resolve(RunFiles.LAST);
            return new Resumption(out != null ? out : abs, Files.exists(last) ? last : null, allowChanges);
        }
        if (Files.exists(abs)) return new Resumption(out != null ? out : abs.getParent(), abs, allowChanges);
        Path parent = abs.getParent();
        boolean aRun = parent != null && (Files.exists(parent.resolve(RunFiles.CONFIG)) || Files.exists(parent.resolve(RunFiles.METRICS)));
        if (abs.getFileName().toString().equals(RunFiles.LAST) && aRun) return new Resumption(out != null ? out : parent, null, allowChanges);
        throw new ConfigException("--resume " + arg + ": file not found" + (aRun ? "" : " (give a run directory or its last.safetensors)"));
    }

    /** The configuration keys (dotted paths) whose values differ from the run's config.yaml; empty when none or no config.yaml yet. */
    public List<String> changedKeys(ObjectNode now) throws IOException {
        Path file = runDir.resolve(RunFiles.CONFIG);
        if (!Files.exists(file)) return List.of();
        JsonNode before = RunDirectory.YAML.readTree(Files.readString(file, StandardCharsets.UTF_8));
        // Compared as written: the new configuration goes through the same YAML text as config.yaml did.
        JsonNode after = RunDirectory.YAML.readTree(RunDirectory.YAML.writeValueAsString(now));
        List<String> out = new ArrayList<>();
        diff("", withoutUnread(before), withoutUnread(after), out);
        return out;
    }

    private static JsonNode withoutUnread(JsonNode root) {
        if (root instanceof ObjectNode o) {
            ObjectNode copy = o.deepCopy();
            NOT_TRAINING.forEach(copy::remove);
            return copy;
        }
        return root;
    }

    private static void diff(String at, JsonNode a, JsonNode b, List<String> out) {
        if (a != null && b != null && a.isNumber() && b.isNumber()) {
            if (a.asDouble() != b.asDouble()) out.add(at);
        } else if (a != null && b != null && a.isObject() && b.isObject()) {
            TreeSet<String> seen = new TreeSet<>();
            for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                seen.add(k);
                diff(at.isEmpty() ? k : at + "." + k, a.get(k), b.get(k), out);
            }
            for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!seen.contains(k)) out.add(at.isEmpty() ? k : at + "." + k);
            }
        } else if (a != null && b != null && a.isArray() && b.isArray() && a.size() == b.size()) {
            for (int i = 0; i < a.size(); i++) diff(at + "[" + i + "]", a.get(i), b.get(i), out);
        } else if (a == null || !a.equals(b)) {
            out.add(at);
        }
    }

    /** A one-line description of a change for messages: {@code train.epochs (1 in the run, 3 now)}. */
    public String describe(String key, ObjectNode now) throws IOException {
        JsonNode before = RunDirectory.YAML.readTree(Files.readString(runDir.resolve(RunFiles.CONFIG), StandardCharsets.UTF_8));
        JsonNode after = RunDirectory.YAML.readTree(RunDirectory.YAML.writeValueAsString(now));
        return key + " (" + show(at(before, key)) + " in the run, " + show(at(after, key)) + " now)";
    }

    private static JsonNode at(JsonNode root, String key) {
        JsonNode n = root;
        for (String part : key.split("\\.")) {
            if (n == null) return null;
            int bracket = part.indexOf('[');
            n = n.get(bracket < 0 ? part : part.substring(0, bracket));
            while (n != null && bracket >= 0) {
                int close = part.indexOf(']', bracket);
                n = n.get(Integer.parseInt(part.substring(bracket + 1, close)));
                bracket = part.indexOf('[', close);
            }
        }
        return n;
    }

    private static String show(JsonNode n) {
        if (n == null || n.isMissingNode()) return "absent";
        String s = n.isValueNode() ? n.asText() : n.toString();
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }

    /**
     * Whether this resume continues from the run's own last checkpoint (or its directory): a
     * finished run is then left as it is, while an earlier checkpoint named explicitly is a request
     * to continue from there.
     */
    public boolean fromOwnLast() {
        return checkpoint == null || checkpoint.toAbsolutePath().equals(runDir.resolve(RunFiles.LAST).toAbsolutePath());
    }

    /** Whether the run ended (completed, or stopped by early stopping) and wrote its final model and report. */
    public boolean finished() throws IOException {
        Path metrics = runDir.resolve(RunFiles.METRICS);
        if (!Files.exists(metrics) || !Files.exists(runDir.resolve(RunFiles.FINAL)) || !Files.exists(runDir.resolve(Report.HTML))) return false;
        String reason = null;
        for (String line : Files.readAllLines(metrics, StandardCharsets.UTF_8)) {
            JsonNode n = parse(line);
            if (n != null && n.path("kind").asText().equals("end")) reason = n.path("reason").asText();
        }
        return reason != null && (reason.startsWith("completed") || reason.startsWith("stopped: early stopping"));
    }

    /**
     * Refuses a changed configuration (naming the first changed key) unless {@code --allow-changes}
     * says it is meant.
     */
    public void refuseUnmeantChanges(List<String> changed, ObjectNode now) throws IOException {
        if (!changed.isEmpty() && !allowChanges) {
            throw new ConfigException("--resume: the configuration differs from the run's " + RunFiles.CONFIG + " at "
                    + describe(changed.get(0), now) + "; resume with the run's configuration, or add --allow-changes if the change is meant");
        }
    }

    /**
     * Cuts metrics.jsonl back to what the checkpoint covers (through its epoch line; nothing
     * without a checkpoint), appends the record of allowed changes, and returns the training
     * seconds the kept part took (the resumed run's clock starts there).
     */
    public double prepareLog(long checkpointStep, List<String> changed) throws IOException {
        return prepareLog("epoch", "step", checkpointStep, changed);
    }

    /**
     * As {@link #prepareLog(long, List)} for a log whose checkpoints are marked by other lines:
     * keeps everything through the last line of kind {@code kind} whose {@code field} is
     * {@code at} (a federated run: {@code "round", "round", rounds completed}).
     */
    public double prepareLog(String kind, String field, long at, List<String> changed) throws IOException {
        long checkpointStep = at;
        Path file = runDir.resolve(RunFiles.METRICS);
        List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        int keep = 0;
        double seconds = 0;
        if (checkpoint != null) {
            for (int i = 0; i < lines.size(); i++) {
                JsonNode n = parse(lines.get(i));
                if (n != null && n.path("kind").asText().equals(kind) && n.path(field).asLong(-1) == checkpointStep) {
                    keep = i + 1;
                    seconds = n.path("seconds").isNumber() ? n.path("seconds").asDouble() : 0;
                }
            }
            if (keep == 0 && !lines.isEmpty()) {
                throw new ConfigException(file + ": has no " + kind + " line at " + field + " " + checkpointStep + ", where --resume's checkpoint was taken");
            }
        }
        StringBuilder kept = new StringBuilder();
        for (String l : lines.subList(0, keep)) kept.append(l).append('\n');
        if (!changed.isEmpty()) {
            ObjectNode record = JSON.createObjectNode().put("kind", "resume").put(field, checkpoint == null ? 0 : checkpointStep);
            changed.forEach(record.putArray("changed")::add);
            kept.append(JSON.writeValueAsString(record)).append('\n');
        }
        if (keep != lines.size() || !changed.isEmpty()) RunDirectory.writeAtomically(file, kept.toString());
        removeLeftovers(runDir);
        removeLeftovers(runDir.resolve("charts"));
        return seconds;
    }

    /** Temporary files a killed process left behind (".NAME.RANDOM.tmp", never the files they were to replace). */
    private static void removeLeftovers(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return;
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") && name.endsWith(".tmp") && Files.isRegularFile(p)) Files.deleteIfExists(p);
            }
        }
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            return null; // a line cut by a crash
        }
    }
}
