package dev.descent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.descent.cli.config.ConfigException;
import dev.descent.cli.config.Suggest;
import dev.descent.cli.run.RunDirectory;
import dev.descent.cli.run.RunInfo;
import dev.descent.cli.run.TrainedModel;
import dev.descent.data.Scaler;
import dev.descent.interop.onnx.OnnxExport;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code descent export RUN_DIR --format onnx [--checkpoint best|final|last] [--output model.onnx]}:
 * the trained model as an ONNX file ({@link OnnxExport}) that takes raw feature rows (the run's
 * scaling is folded in) and gives {@code output} (the model's outputs) and, for classification
 * losses whose outputs mean probabilities, {@code probabilities} as {@code descent predict} writes
 * them. The class names, feature columns, task and loss are in the model's metadata; a language
 * model's file takes int64 token ids and carries its tokenizer, vocabulary and block size. Written to a
 * temporary name and moved into place; default {@code RUN_DIR/model.onnx}.
 */
@Command(name = "export", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Write a trained run's model in a format other tools run (ONNX).")
public final class ExportCommand implements Callable<Integer> {
    static final List<String> FORMATS = List.of("onnx");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run directory written by 'descent train'.")
    Path runDir;

    @Option(names = "--format", paramLabel = "onnx", description = "The file format (default onnx).")
    String format = "onnx";

    @Option(names = "--output", paramLabel = "FILE", description = "Where to write the model (default RUN_DIR/model.onnx).")
    Path output;

    @Mixin
    CheckpointOption checkpoint;

    @Override
    public Integer call() throws Exception {
        if (!FORMATS.contains(format)) {
            throw new ConfigException("--format: unknown format '" + format + "'" + Suggest.hint(format, FORMATS) + " (choose from " + String.join(", ", FORMATS) + ")");
        }
        TrainedModel run = checkpoint.load(runDir);
        RunInfo info = run.info();
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("descent.task", info.task());
        metadata.put("descent.loss", info.loss());
        if (info.classes() != null) metadata.put("descent.classes", JSON.writeValueAsString(info.classes()));
        if (info.features() != null) metadata.put("descent.features", JSON.writeValueAsString(info.features()));
        // IDX images are read as pixel / 255 before any configured scaling; both are folded in, so the model takes raw values.
        boolean images = info.format().equals("idx");
        List<Scaler> scaling = images ? List.of(new Scaler.Divide(255), info.scaler().toScaler()) : List.of(info.scaler().toScaler());
        if (info.text() != null) {
            // A language model takes int64 token ids [batch, T <= block_size] of the run's tokenizer.
            metadata.put("descent.input_scaling", "none: the input is int64 token ids of the run's tokenizer (descent.tokenizer)");
            metadata.put("descent.tokenizer", info.text().tokenizer());
            if (info.text().vocabulary() != null) metadata.put("descent.vocabulary", JSON.writeValueAsString(info.text().vocabulary()));
            metadata.put("descent.block_size", Integer.toString(info.text().blockSize()));
        } else {
            metadata.put("descent.input_scaling", "folded into the graph: the input is " + (images ? "raw pixel values (0-255)" : "raw feature values")
                    + ", scaled inside as in training (" + (images ? "divide by 255, then " : "") + info.scaler().kind() + ")");
        }
        metadata.put("descent.checkpoint", run.checkpoint().getFileName().toString());
        OnnxExport.Options options = new OnnxExport.Options(info.inputShape(), scaling, probabilities(run.loss().name()), metadata,
                Version.get());
        byte[] model;
        try {
            model = OnnxExport.export(run.model(), options);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(runDir + ": cannot export to ONNX: " + e.getMessage());
        }
        Path target = output != null ? output : runDir.resolve("model.onnx");
        RunDirectory.writeAtomically(target, model);
        System.out.println("wrote " + target + " (" + model.length + " bytes, ONNX opset " + OnnxExport.OPSET + ")");
        return Failures.OK;
    }

    /** The probabilities output as LossFactory.Built.probabilities computes them for predict. */
    static OnnxExport.Probabilities probabilities(String loss) {
        return switch (loss) {
            case "cross_entropy" -> OnnxExport.Probabilities.SOFTMAX;
            case "nll", "kl_div" -> OnnxExport.Probabilities.EXP;
            case "bce_with_logits" -> OnnxExport.Probabilities.SIGMOID;
            case "bce" -> OnnxExport.Probabilities.IDENTITY;
            default -> OnnxExport.Probabilities.NONE;
        };
    }
}
