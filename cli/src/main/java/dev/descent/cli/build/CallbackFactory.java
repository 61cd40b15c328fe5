package dev.descent.cli.build;

import dev.descent.train.RunFiles;
import dev.descent.cli.config.ConfigException;
import dev.descent.cli.config.ConfigFile;
import dev.descent.cli.config.Section;
import dev.descent.cli.config.Suggest;
import dev.descent.cli.run.RunDirectory;
import dev.descent.interop.tensorboard.TensorBoardLog;
import dev.descent.train.Callback;
import dev.descent.train.Callbacks;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The callbacks of a config's {@code callbacks:} mapping, built with {@link Callbacks}:
 * {@code early_stopping: {monitor (val_loss), patience (5), min_delta (0), restore_best (true)}},
 * {@code checkpoint: {monitor, every_seconds}} (last.safetensors at an epoch's end, at most every
 * {@value #CHECKPOINT_EVERY_SECONDS} seconds by default, 0 for every epoch, and always when training
 * ends; best.safetensors when the monitored value improves, written with the next last; default
 * monitor val_loss when there is validation data), the JSON-lines metrics log
 * ({@code log_every} steps between step lines, default 1) and {@code progress} (default true).
 * A monitored name must be one that validation produces. {@code tensorboard} writes TensorBoard
 * event files as the run trains ({@link TensorBoardOption}; scalars at the metrics log's steps).
 */
public final class CallbackFactory {
    private CallbackFactory() {}

    /**
     * Where and how the run is shown and written.
     *
     * @param validationMetrics the names validation produces ("val_loss", "val_accuracy", ...),
     *                          empty when the run has no validation data
     * @param plainEvery        steps between plain progress lines
     * @param config            the run's configuration (relative paths in it are relative to its file)
     */
    public record Context(Path runDir, Path metricsFile, List<String> validationMetrics, PrintStream out, boolean showProgress,
                          boolean terminal, int plainEvery, ConfigFile config) {}

    /**
     * The default of {@code checkpoint.every_seconds}: last.safetensors at an epoch's end at most
     * this often (and always when training ends), so that tiny epochs do not each pay for a file
     * forced to disk (milliseconds, against microseconds of training), while a crash costs at most
     * a few seconds of work. Epochs longer than this are each written, as with 0.
     */
    public static final double CHECKPOINT_EVERY_SECONDS = 5;

    public static List<Callback> build(Section cbs, Context ctx) {
        boolean progress = cbs.bool("progress", true) && ctx.showProgress();
        int logEvery = cbs.integer("log_every", 1);
        if (logEvery < 1) throw new ConfigException(cbs.name("log_every") + ": must be at least 1, got " + logEvery);
        Section ckpt = cbs.section("checkpoint");
        String ckptMonitor = ckpt.string("monitor", ctx.validationMetrics().isEmpty() ? null : "val_loss");
        double ckptEvery = ckpt.number("every_seconds", CHECKPOINT_EVERY_SECONDS);
        ckpt.finish();
        if (!(ckptEvery >= 0) || Double.isInfinite(ckptEvery)) {
            throw new ConfigException(ckpt.name("every_seconds") + ": must be a number >= 0 (0: every epoch), got " + ckptEvery);
        }
        if (ckptMonitor != null) requireMonitor(ckpt.name("monitor"), ckptMonitor, ctx.validationMetrics());
        List<Callback> out = new ArrayList<>();
        if (cbs.has("early_stopping")) {
            Section es = cbs.section("early_stopping");
            String monitor = es.string("monitor", "val_loss");
            int patience = es.integer("patience", 5);
            double minDelta = es.number("min_delta", 0);
            boolean restore = es.bool("restore_best", true);
            es.finish();
            requireMonitor(es.name("monitor"), monitor, ctx.validationMetrics());
            try {
                out.add(Callbacks.earlyStopping(monitor, patience, minDelta, Callbacks.higherIsBetter(monitor), restore));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(es.path() + ": " + e.getMessage());
            }
        }
        TensorBoardOption tensorboard = TensorBoardOption.of(cbs, ctx.runDir(), ctx.config());
        cbs.finish();
        out.add(Callbacks.metricsLog(ctx.metricsFile(), logEvery));
        if (tensorboard != null) {
            Path configFile = ctx.runDir().resolve(RunFiles.CONFIG);
            out.add(new TensorBoardLog(tensorboard.dir(), logEvery, tensorboard.histogramEvery(), () -> readIfThere(configFile)));
        }
        out.add(Callbacks.checkpoint(ctx.runDir(), ckptMonitor, ckptEvery));
        if (progress) out.add(Callbacks.progress(ctx.out(), ctx.terminal(), ctx.plainEvery()));
        return out;
    }

    /** The run's config.yaml for the Text tab (written just before training starts), or null. */
    private static String readIfThere(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** A monitored metric must exist: validation data must be there and produce it. */
    public static void requireMonitor(String key, String monitor, List<String> produced) {
        if (produced.isEmpty()) {
            throw new ConfigException(key + ": '" + monitor + "' needs validation data (data.validation or data.validation_split)");
        }
        if (!produced.contains(monitor)) {
            throw new ConfigException(key + ": unknown metric '" + monitor + "'" + Suggest.hint(monitor, produced)
                    + " (validation computes " + String.join(", ", produced) + ")");
        }
    }
}
