package dev.descent.cli.tune;

import dev.descent.cli.build.TensorBoardOption;
import dev.descent.interop.tensorboard.EventFile;
import dev.descent.interop.tensorboard.HParams;
import dev.descent.interop.tensorboard.Summaries;
import dev.descent.search.Dimension;
import dev.descent.search.Parameter;
import dev.descent.search.SearchSpace;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A study in TensorBoard, when the base configuration turns {@code callbacks.tensorboard} on:
 * under {@code OUT/tb}, the HParams experiment (the search space's parameters and the metric) in
 * the root, and one run per trial, {@code tb/NNNN}, with the trial's curves (its folds'
 * in {@code tb/NNNN/fold-F} when cross-validating), the session start (its parameter values),
 * the session end (its status) and the trial's value as the scalar {@link #metricTag}. The
 * HParams tab then lists the trials as a table and as parallel coordinates.
 */
final class TrialBoard {
    static final String DIR = TensorBoardOption.DEFAULT_DIR;

    private TrialBoard() {}

    /** The scalar tag of a trial's objective value (the last point of its run is its HParams metric). */
    static String metricTag(String metric) {
        return "trial/" + metric;
    }

    /** The TensorBoard run of trial n. */
    static Path trialRun(Path studyDir, int number) {
        return studyDir.resolve(DIR).resolve(String.format(Locale.ROOT, "%04d", number));
    }

    /** Writes the experiment summary into {@code OUT/tb}. */
    static void experiment(Path studyDir, SearchSpace space, String metric) throws IOException {
        List<HParams.HParam> infos = new ArrayList<>();
        for (Parameter p : space.parameters()) {
            if (p.dimension() instanceof Dimension.Categorical c) {
                HParams.Type type = HParams.typeOf(c.choices().getFirst());
                boolean same = c.choices().stream().allMatch(v -> HParams.typeOf(v) == type);
                infos.add(new HParams.HParam(p.name(), same ? type : HParams.Type.STRING, same ? c.choices() : List.of()));
            } else {
                infos.add(new HParams.HParam(p.name(), HParams.Type.FLOAT64, List.of()));
            }
        }
        try (EventFile f = EventFile.create(studyDir.resolve(DIR))) {
            f.summary(0, HParams.experiment(infos, List.of(metricTag(metric))));
        }
    }

    /** Starts a trial's session: its parameters, in a file of their own before the training's. */
    static void start(Path run, Map<String, Object> params) throws IOException {
        try (EventFile f = EventFile.create(run)) {
            f.summary(0, HParams.sessionStart(params, System.currentTimeMillis() / 1000.0));
        }
    }

    /** Ends a trial's session with its status and, when it completed, its value. */
    static void end(Path run, HParams.Status status, String metric, double value) throws IOException {
        try (EventFile f = EventFile.create(run)) {
            if (status == HParams.Status.SUCCESS) f.summary(0, Summaries.scalar(metricTag(metric), value));
            f.summary(0, HParams.sessionEnd(status, System.currentTimeMillis() / 1000.0));
        }
    }
}
