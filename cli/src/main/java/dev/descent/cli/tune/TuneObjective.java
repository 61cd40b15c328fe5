package dev.descent.cli.tune;

import dev.descent.cli.build.DataSelection;
import dev.descent.cli.config.ConfigException;
import dev.descent.cli.config.ConfigFile;
import dev.descent.cli.build.TensorBoardOption;
import dev.descent.cli.run.TrainingRun;
import dev.descent.interop.tensorboard.HParams;
import dev.descent.data.Folds;
import dev.descent.data.Split;
import dev.descent.data.TensorDataset;
import dev.descent.search.Objective;
import dev.descent.search.Trial;
import dev.descent.search.TrialPrunedException;
import dev.descent.tensor.Generator;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * One trial: the base configuration with the trial's parameters, trained by {@link TrainingRun}
 * into {@code trials/NNNN} under the study's directory.
 *
 * <ul>
 *   <li>Without cross-validation the value is the metric at the run's last validation, and each
 *       validation is reported to the pruner.
 *   <li>With {@code folds = k} the training rows are split into k folds (the same folds for every
 *       trial, from the base seed, so trials are compared on equal terms); each fold trains on the
 *       other k - 1 into {@code trials/NNNN/fold-F}, with the scaler fitted on those k - 1 only
 *       (no leak from the fold it is validated on); after each fold the running mean is reported,
 *       and the pruner may stop the trial between folds. The value is the mean over folds.
 * </ul>
 * Trials never look at the test set: it is left out of their data, so choosing by the search
 * keeps the test set clean for the final training of best.yaml.
 */
final class TuneObjective implements Objective {
    static final String TRIALS = "trials";

    private final ConfigFile base;
    private final SearchSpec spec;
    private final Path dir;
    private final PrintStream out;
    private final long baseSeed;

    TuneObjective(ConfigFile base, SearchSpec spec, Path dir, PrintStream out) {
        this.base = base;
        this.spec = spec;
        this.dir = dir;
        this.out = out;
        this.baseSeed = TrialConfigs.baseSeed(base);
    }

    /** Trial n's directory. */
    static Path trialDir(Path dir, int number) {
        return dir.resolve(TRIALS).resolve(String.format(Locale.ROOT, "%04d", number));
    }

    @Override
    public double evaluate(Trial trial) throws Exception {
        return evaluate(trial.number(), trial.params().values(), new Reports() {
            @Override
            public void report(int step, double value) {
                trial.report(step, value);
            }

            @Override
            public boolean shouldPrune() {
                return trial.shouldPrune();
            }
        });
    }

    /**
     * Where a trial's intermediate values go and whom it asks whether to stop: the study's
     * {@link Trial} in this process; a recorder when the trial runs elsewhere ({@link RemoteTrial}),
     * whose reports the study's trial replays on the driver.
     */
    interface Reports {
        void report(int step, double value);

        boolean shouldPrune();
    }

    /** Trial {@code number} with {@code params}, reporting to {@code reports}. */
    double evaluate(int number, Map<String, Object> params, Reports reports) throws Exception {
        // Each trial its own seed (initial weights, data order), counted from the base's.
        ConfigFile cfg = TrialConfigs.apply(base, params, baseSeed + number);
        Path trialDir = trialDir(dir, number);
        Path board = TensorBoardOption.enabled(cfg) ? TrialBoard.trialRun(dir, number) : null;
        if (board != null) TrialBoard.start(board, params);
        try {
            double value = spec.folds() == 0 ? single(reports, cfg, trialDir, board) : crossValidated(reports, cfg, trialDir, board);
            say(out, number, params, String.format(Locale.ROOT, "%s %.4f", spec.metric(), value));
            if (board != null) TrialBoard.end(board, HParams.Status.SUCCESS, spec.metric(), value);
            return value;
        } catch (TrialPrunedException e) {
            say(out, number, params, "pruned");
            // HParams has no "pruned" status; unknown keeps it apart from trials that failed.
            if (board != null) TrialBoard.end(board, HParams.Status.UNKNOWN, spec.metric(), Double.NaN);
            throw e;
        } catch (Exception e) {
            say(out, number, params, "failed: " + e.getMessage());
            if (board != null) TrialBoard.end(board, HParams.Status.FAILURE, spec.metric(), Double.NaN);
            throw e;
        }
    }

    /** The trial's curves go into its TensorBoard run (a fold's into a sub-run), when TensorBoard is on. */
    private static ConfigFile onBoard(ConfigFile cfg, Path board) {
        return board == null ? cfg : TensorBoardOption.redirect(cfg, board);
    }

    private double single(Reports trial, ConfigFile cfg, Path trialDir, Path board) throws Exception {
        MetricWatcher w = new MetricWatcher(spec.metric(), (step, v) -> {
            trial.report(step, v);
            return trial.shouldPrune();
        });
        TrainingRun.Outcome o = TrainingRun.run(onBoard(cfg, board), trialDir, options(w, withoutTest()));
        if (w.stopped()) throw new TrialPrunedException("pruned after validation " + w.count());
        return finished(o, w);
    }

    private double crossValidated(Reports trial, ConfigFile cfg, Path trialDir, Path board) throws Exception {
        int k = spec.folds();
        double sum = 0;
        for (int f = 0; f < k; f++) {
            MetricWatcher w = new MetricWatcher(spec.metric(), (step, v) -> false);
            String fold = "fold-" + (f + 1);
            TrainingRun.Outcome o = TrainingRun.run(onBoard(cfg, board == null ? null : board.resolve(fold)), trialDir.resolve(fold),
                    options(w, fold(f)));
            sum += finished(o, w);
            trial.report(f + 1, sum / (f + 1));
            if (f < k - 1 && trial.shouldPrune()) throw new TrialPrunedException("pruned after fold " + (f + 1) + " of " + k);
        }
        return sum / k;
    }

    private double finished(TrainingRun.Outcome o, MetricWatcher w) {
        if (!o.succeeded()) throw new IllegalStateException("training " + o.result().reason());
        if (w.count() == 0) throw new IllegalStateException("the run reported no " + spec.metric());
        return w.last();
    }

    /** A trial's closing line on the study's output. */
    static void say(PrintStream out, int number, Map<String, Object> params, String what) {
        synchronized (out) {
            out.println("trial " + number + "  " + what + "  " + Leaderboard.params(params));
        }
    }

    /** The configuration's training and validation rows, without the test rows. */
    static DataSelection withoutTest() {
        return new DataSelection(true, null);
    }

    /**
     * Fold f of the training rows as the validation set, the other folds as the training set
     * (and no test rows); the scaler is fitted on the other folds only.
     */
    DataSelection fold(int f) {
        return new DataSelection(true, rows -> folds(rows).get(f));
    }

    private List<Split> folds(TensorDataset train) {
        try {
            return spec.stratified() ? Folds.stratifiedKFold(train.classIndices(), spec.folds(), Generator.seeded(baseSeed))
                    : Folds.kFold(train.size(), spec.folds(), true, Generator.seeded(baseSeed));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("search.cv: " + e.getMessage());
        }
    }

    /** Quiet runs: trials run side by side, and their own progress lines would interleave. */
    static TrainingRun.Options options(MetricWatcher w, DataSelection rows) {
        return new TrainingRun.Options(new PrintStream(OutputStream.nullOutputStream()), false, false, null, List.of(w), false, null, false, rows);
    }

    /** The same run, checked but not trained: for validating the configuration before the study starts. */
    static TrainingRun.Options dryRun(DataSelection rows) {
        return new TrainingRun.Options(new PrintStream(OutputStream.nullOutputStream()), false, false, null, List.of(), false, null, true, rows);
    }
}
