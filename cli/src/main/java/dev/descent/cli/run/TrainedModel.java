package dev.descent.cli.run;

import dev.descent.train.RunFiles;
import dev.descent.cli.build.LossFactory;
import dev.descent.cli.build.MetricFactory;
import dev.descent.cli.build.ModelFactory;
import dev.descent.cli.config.ConfigException;
import dev.descent.cli.config.ConfigFile;
import dev.descent.io.Safetensors;
import dev.descent.metric.Metric;
import dev.descent.nn.Sequential;
import dev.descent.tensor.Generator;
import dev.descent.train.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A trained model read back from a run directory for eval and predict: the model rebuilt from
 * config.yaml and loaded from a checkpoint, by default best.safetensors when the run validated,
 * otherwise final.safetensors (the model as training left it, also after a step budget ended
 * mid-epoch), otherwise last.safetensors; with the loss, metrics and {@link RunInfo} of the run.
 *
 * @param checkpoint the checkpoint file used
 * @param described  which weights these are, for people: "best.safetensors (the best val_loss, step 432)"
 */
public record TrainedModel(ConfigFile config, RunInfo info, Sequential model, LossFactory.Built loss, List<Metric> metrics, Path checkpoint,
                           String described) {

    /** Loads the run; {@code which} is "best", "last", "final" or null (the default order above). */
    public static TrainedModel load(Path runDir, String which) throws IOException {
        if (!Files.isDirectory(runDir)) throw new ConfigException(runDir + ": not a directory (expected a run directory written by 'descent train')");
        RunInfo info = RunInfo.read(runDir);
        ConfigFile config = ConfigFile.load(runDir.resolve(RunFiles.CONFIG), List.of());
        var top = config.top();
        LossFactory.Built loss = LossFactory.build(top.raw("loss"));
        Sequential model = ModelFactory.build(top.raw("model"), info.inputShape(), info.vocabularySize(), Generator.seeded(0));
        List<Metric> metrics = MetricFactory.build(top.raw("metrics"), loss);
        Path file;
        if (which == null) {
            file = runDir.resolve(RunFiles.BEST);
            if (!Files.exists(file)) file = runDir.resolve(RunFiles.FINAL);
            if (!Files.exists(file)) file = runDir.resolve(RunFiles.LAST);
        } else {
            file = runDir.resolve(which + ".safetensors");
        }
        if (!Files.exists(file)) throw new ConfigException(file + ": no such checkpoint (did training finish a step?)");
        var tensors = Safetensors.read(file);
        // best/last are full training checkpoints (model/ prefix); final is the bare state dict.
        boolean checkpoint = "descent.checkpoint".equals(tensors.metadata().get("format"));
        model.loadStateDict(checkpoint ? Checkpoint.load(file).model() : tensors.tensors(), true);
        model.eval();
        return new TrainedModel(config, info, model, loss, metrics, file, describe(file, tensors.metadata().get("step"), config));
    }

    /** The file name and what its weights are: the best monitored value, the last checkpoint, or where training ended. */
    private static String describe(Path file, String step, ConfigFile config) {
        String name = file.getFileName().toString();
        String at = step != null ? ", step " + step : "";
        if (name.equals(RunFiles.BEST)) {
            String monitor = config.root().path("callbacks").path("checkpoint").path("monitor").asText("val_loss");
            return name + " (the best " + monitor + at + ")";
        }
        if (name.equals(RunFiles.LAST)) return name + " (the last checkpoint" + at + ")";
        return name + " (the weights training ended with)";
    }

    /**
     * Refuses a language model (a run on text data) for a command that reads CSV or IDX rows:
     * such a run's validation and test losses are in its metrics.jsonl, and {@code descent
     * generate} samples from it.
     */
    public void refuseLanguageModel(String command) {
        if (info.text() != null) {
            throw new ConfigException(checkpoint.getParent() + ": a language model (text data); " + command
                    + " reads CSV or IDX rows: its validation and test losses are in metrics.jsonl, and 'descent generate' samples from it");
        }
    }

    /** Rejects a --checkpoint value other than best, final or last, suggesting the nearest. */
    public static void checkChoice(String which) {
        List<String> choices = List.of("best", "final", "last");
        if (which != null && !choices.contains(which)) {
            throw new ConfigException("--checkpoint: unknown value '" + which + "'" + dev.descent.cli.config.Suggest.hint(which, choices)
                    + " (choose from best, final, last)");
        }
    }
}
