package dev.descent.cli.tune;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.descent.cli.config.ConfigFile;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One trial of a {@code descent tune} as a self-contained task for another machine (a Spark
 * executor): the configuration as JSON, the study directory, the trial's number and parameters.
 * {@link #train()} trains it there exactly as {@link TuneObjective} does in the study's own
 * process (same seed, data, trial directory), recording its intermediate values and where it
 * would have asked the pruner; the study's process replays them ({@link RemoteObjective}), so
 * the study records what an in-process run would have recorded.
 *
 * @param config the whole configuration file (with its {@code search:} section) as JSON
 * @param source the configuration's path, against which its relative paths resolve
 * @param dir    the study directory (trials write into {@code trials/NNNN} under it)
 */
public record RemoteTrial(String config, String source, String dir, int number, LinkedHashMap<String, Object> params)
        implements Serializable {

    /** One intermediate value; {@code asked}: the trial asked the pruner right after it. */
    public record Report(int step, double value, boolean asked) implements Serializable {}

    /**
     * What the trial did: its reports in order, and its value, or the exception it failed with
     * (the trial's own, so the study records the same failure as in-process).
     */
    public record Outcome(ArrayList<Report> reports, double value, Exception failure) implements Serializable {}

    static RemoteTrial of(ConfigFile file, Path dir, int number, Map<String, Object> params) {
        return new RemoteTrial(file.root().toString(), file.source().toAbsolutePath().toString(), dir.toAbsolutePath().toString(), number,
                new LinkedHashMap<>(params));
    }

    /** Trains the trial here, never pruning (the study's process decides that on the replay). */
    public Outcome train() {
        ArrayList<Report> reports = new ArrayList<>();
        TuneObjective.Reports recorder = new TuneObjective.Reports() {
            @Override
            public void report(int step, double value) {
                reports.add(new Report(step, value, false));
            }

            @Override
            public boolean shouldPrune() {
                Report last = reports.removeLast();
                reports.add(new Report(last.step(), last.value(), true));
                return false;
            }
        };
        try {
            ConfigFile file = new ConfigFile(Path.of(source), (ObjectNode) new ObjectMapper().readTree(config));
            var objective = new TuneObjective(SearchSpec.base(file), SearchSpec.of(file), Path.of(dir), new PrintStream(OutputStream.nullOutputStream()));
            return new Outcome(reports, objective.evaluate(number, params, recorder), null);
        } catch (Exception e) {
            return new Outcome(reports, Double.NaN, sendable(e));
        }
    }

    /** The exception itself when it can travel; else one that says the same. */
    private static Exception sendable(Exception e) {
        try (var out = new ObjectOutputStream(OutputStream.nullOutputStream())) {
            out.writeObject(e);
            return e;
        } catch (IOException notSerializable) {
            String msg = e.getMessage();
            return new IllegalStateException(e.getClass().getSimpleName() + (msg == null ? "" : ": " + msg));
        }
    }
}
