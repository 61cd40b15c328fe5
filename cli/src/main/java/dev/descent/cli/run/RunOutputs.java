package dev.descent.cli.run;

import dev.descent.train.RunFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.descent.cli.build.LossFactory;
import dev.descent.cli.build.Task;
import dev.descent.cli.report.Report;
import dev.descent.data.TensorDataset;
import dev.descent.metric.ConfusionMatrix;
import dev.descent.nn.Module;
import dev.descent.tensor.Tensor;
import dev.descent.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The files a finished run adds to its directory besides what the callbacks write. */
final class RunOutputs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunOutputs() {}

    /** Appends {"kind":"test", "checkpoint":..., "loss":..., metric:...} to metrics.jsonl (rewritten atomically). */
    static void appendTestLine(Path runDir, Map<String, Double> test, String checkpoint) throws IOException {
        Path file = runDir.resolve(RunFiles.METRICS);
        ObjectNode line = JSON.createObjectNode().put("kind", "test").put("checkpoint", checkpoint);
        test.forEach((k, v) -> {
            if (Double.isFinite(v)) line.put(k, v);
            else line.putNull(k);
        });
        String before = Files.exists(file) ? Files.readString(file) : "";
        RunDirectory.writeAtomically(file, before + JSON.writeValueAsString(line) + "\n");
    }

    /**
     * confusion_matrix.json in the report's format ({@link dev.descent.cli.report.ConfusionMatrix}):
     * {"labels": [class names], "counts": [[examples of true class t predicted as p]]}, rows the
     * true classes, plus "data": which data set ("test" or "validation").
     */
    static void writeConfusion(Path runDir, Module model, TensorDataset data, LossFactory.Built loss, List<String> classes, String which) throws IOException {
        model.eval();
        Tensor outputs = Trainer.predict(model, data.features());
        Task task = loss.task();
        // bce outputs are probabilities; the confusion matrix reads one column as a logit.
        if (loss.name().equals("bce")) outputs = outputs.sub(0.5);
        ConfusionMatrix cm = ConfusionMatrix.of(outputs, task.indexTargets(data.targets()));
        ObjectNode root = JSON.createObjectNode().put("data", which);
        ArrayNode names = root.putArray("labels");
        classes.forEach(names::add);
        ArrayNode matrix = root.putArray("counts");
        for (int t = 0; t < classes.size(); t++) {
            ArrayNode row = matrix.addArray();
            for (int p = 0; p < classes.size(); p++) row.add(t < cm.classes() && p < cm.classes() ? cm.counts()[t][p] : 0);
        }
        RunDirectory.writeAtomically(runDir.resolve(RunFiles.CONFUSION),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
        model.train();
    }

    /** The HTML report with its charts (report.html, charts/*.png), from what the run wrote. */
    static void writeReport(Path runDir) {
        Report.write(runDir);
    }
}
