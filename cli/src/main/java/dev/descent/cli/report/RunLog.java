package dev.descent.cli.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;

/**
 * A run's metrics.jsonl, split by record kind. The trainer ({@code dev.descent.train.MetricsLog})
 * writes one JSON object per line:
 * <ul>
 *   <li>{@code {"kind":"step","step","epoch","loss","lr","grad_norm","seconds"[,"skipped":true]}}</li>
 *   <li>{@code {"kind":"eval","step","epoch","val_loss","val_<metric>"...}}</li>
 *   <li>{@code {"kind":"epoch","epoch","step","loss","val_loss","val_<metric>"...,"seconds"}}</li>
 *   <li>{@code {"kind":"round","round","clients","client_loss","drift","val_<metric>"...}} (a federated run's rounds)</li>
 *   <li>{@code {"kind":"end","step","reason"}} ({@code "round"} in place of {@code "step"} for a federated run)</li>
 *   <li>{@code {"kind":"test","checkpoint","loss","<metric>"...}} (the run's test data, after training)</li>
 * </ul>
 * {@code epoch} counts from 1, as people do (and as the console shows): the epoch a step or an
 * evaluation belongs to, the epoch an epoch record ends.
 * Non-finite numbers are {@code null}. Unknown kinds and fields are ignored, so newer trainers can
 * add records without breaking old reports.
 *
 * @param steps     step records in file order
 * @param evals     evaluation records in file order
 * @param epochs    epoch-end records in file order
 * @param rounds    a federated run's round records in file order, the round number (from 1) as their step
 * @param endReason the end record's reason, or null when the run has none (still running, killed)
 * @param endStep   the end record's step, or -1
 * @param test      the test record's metrics, or null when the run has none
 * @param testCheckpoint which weights the test record measured (e.g. "final.safetensors"), or null
 */
record RunLog(List<LogRow> steps, List<LogRow> evals, List<LogRow> epochs, List<LogRow> rounds, String endReason, long endStep, LogRow test,
              String testCheckpoint) {
    private static final ObjectMapper JSON = new ObjectMapper();

    RunLog {
        steps = List.copyOf(steps);
        evals = List.copyOf(evals);
        epochs = List.copyOf(epochs);
        rounds = List.copyOf(rounds);
    }

    /**
     * Reads a metrics log.
     *
     * @throws ReportException naming the file when it is missing, unreadable, has no records, or
     *                         has a malformed line other than the last
     */
    static RunLog read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ReportException("metrics log not found: " + file + " (the trainer writes it when metrics logging is on)", e);
        } catch (IOException e) {
            throw new ReportException("cannot read metrics log " + file + ": " + e.getMessage(), e);
        }
        int last = lines.size() - 1;
        while (last >= 0 && lines.get(last).isBlank()) last--;

        List<LogRow> steps = new ArrayList<>(), evals = new ArrayList<>(), epochs = new ArrayList<>(), rounds = new ArrayList<>();
        String endReason = null, testCheckpoint = null;
        long endStep = -1;
        LogRow test = null;
        for (int i = 0; i <= last; i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            Record r;
            try {
                r = Record.parse(line);
            } catch (JsonProcessingException e) {
                // A run killed mid-write leaves a torn last line; the rest is still a good report.
                if (i == last) break;
                throw new ReportException("metrics log " + file + ", line " + (i + 1) + ": not valid JSON: " + e.getOriginalMessage(), e);
            } catch (IOException e) {
                throw new ReportException("cannot read metrics log " + file + ": " + e.getMessage(), e);
            }
            if (r == null) {
                if (i == last) break;
                throw new ReportException("metrics log " + file + ", line " + (i + 1) + ": expected a JSON object");
            }
            switch (r.kind) {
                case "step" -> steps.add(r.row());
                case "eval" -> evals.add(r.row());
                case "epoch" -> epochs.add(r.row());
                case "round" -> rounds.add(new LogRow(r.round, -1, r.values));
                case "end" -> {
                    endReason = r.reason == null ? "" : r.reason;
                    endStep = r.step;
                }
                case "test" -> {
                    test = r.row();
                    testCheckpoint = r.checkpoint;
                }
                default -> { }
            }
        }
        // A run stopped at its first step has only its end record: still a report (how it ended).
        if (steps.isEmpty() && evals.isEmpty() && epochs.isEmpty() && rounds.isEmpty() && endReason == null) {
            throw new ReportException("metrics log " + file + " has no step, eval, epoch, round or end records"
                    + (lines.stream().allMatch(String::isBlank) ? " (the file is empty)" : ""));
        }
        return new RunLog(steps, evals, epochs, rounds, endReason, endStep, test, testCheckpoint);
    }

    /**
     * One line's fields, read token by token: a log of 100,000 step lines is read in a fraction of
     * the time a tree per line took (the report then cost more per step than training a small
     * model). Numbers, booleans (1 and 0) and nulls (NaN) become values; {@code kind},
     * {@code step}, {@code epoch} and {@code round} are the row's position; {@code reason} and {@code checkpoint}
     * the end and test records' texts; anything else (arrays, objects, other texts) is skipped.
     */
    private static final class Record {
        String kind = "";
        long step = -1, round = -1;
        int epoch = -1;
        String reason, checkpoint;
        final Map<String, Double> values = new LinkedHashMap<>();

        /** The record on this line, or null when the line holds a JSON value that is not an object. */
        static Record parse(String line) throws IOException {
            try (JsonParser p = JSON.getFactory().createParser(line)) {
                if (p.nextToken() != JsonToken.START_OBJECT) return null;
                Record r = new Record();
                for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    switch (name) {
                        case "kind" -> r.kind = v == JsonToken.VALUE_STRING ? p.getText() : "";
                        case "step" -> r.step = p.getValueAsLong(-1);
                        case "epoch" -> r.epoch = p.getValueAsInt(-1);
                        case "round" -> r.round = p.getValueAsLong(-1);
                        default -> r.value(name, v, p);
                    }
                    if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) p.skipChildren();
                }
                return r;
            }
        }

        private void value(String name, JsonToken v, JsonParser p) throws IOException {
            switch (v) {
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> values.put(name, p.getDoubleValue());
                case VALUE_TRUE -> values.put(name, 1.0);
                case VALUE_FALSE -> values.put(name, 0.0);
                case VALUE_NULL -> values.put(name, Double.NaN);
                case VALUE_STRING -> {
                    if (name.equals("reason")) reason = p.getText();
                    else if (name.equals("checkpoint")) checkpoint = p.getText();
                }
                default -> { }
            }
        }

        LogRow row() {
            return new LogRow(step, epoch, values);
        }
    }

    /** Field names that occur in the rows, in order of first appearance. */
    static SequencedSet<String> names(List<LogRow> rows) {
        SequencedSet<String> names = new LinkedHashSet<>();
        for (LogRow r : rows) names.addAll(r.values().keySet());
        return names;
    }

    /** True when some row has a finite value for the name. */
    static boolean hasAny(List<LogRow> rows, String name) {
        for (LogRow r : rows) if (Double.isFinite(r.get(name))) return true;
        return false;
    }
}
