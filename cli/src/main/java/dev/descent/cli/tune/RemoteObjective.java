package dev.descent.cli.tune;

import dev.descent.cli.config.ConfigFile;
import dev.descent.search.Objective;
import dev.descent.search.Trial;
import dev.descent.search.TrialPrunedException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The study's objective when trials train elsewhere ({@link TrialEngine}): each trial is sent as
 * a {@link RemoteTrial}, and its recorded reports are replayed into the study's {@link Trial} in
 * order, asking the pruner where the trial asked it. Training is deterministic, so the values up
 * to a pruning decision are those an in-process trial would have reported before it stopped, and
 * the study records the same trial: same intermediate values, same state, same value. The remote
 * task cannot hear the decision while it runs, so a pruned trial has trained to its end there: on
 * an engine, pruning keeps the study's result but does not save the pruned trials' compute.
 */
final class RemoteObjective implements Objective {
    private final TrialEngine.Trials engine;
    private final ConfigFile file;
    private final SearchSpec spec;
    private final Path dir;
    private final PrintStream out;

    RemoteObjective(TrialEngine.Trials engine, ConfigFile file, SearchSpec spec, Path dir, PrintStream out) {
        this.engine = engine;
        this.file = file;
        this.spec = spec;
        this.dir = dir;
        this.out = out;
    }

    @Override
    public double evaluate(Trial trial) throws Exception {
        var params = trial.params().values();
        RemoteTrial.Outcome o;
        try {
            o = engine.train(RemoteTrial.of(file, dir, trial.number(), params));
        } catch (Exception e) {
            TuneObjective.say(out, trial.number(), params, "failed: " + e.getMessage());
            throw e;
        }
        for (RemoteTrial.Report r : o.reports()) {
            trial.report(r.step(), r.value());
            if (r.asked() && trial.shouldPrune()) {
                TuneObjective.say(out, trial.number(), params, "pruned");
                throw new TrialPrunedException("pruned after report " + r.step());
            }
        }
        if (o.failure() != null) {
            TuneObjective.say(out, trial.number(), params, "failed: " + o.failure().getMessage());
            throw o.failure();
        }
        TuneObjective.say(out, trial.number(), params, String.format(Locale.ROOT, "%s %.4f", spec.metric(), o.value()));
        return o.value();
    }
}
