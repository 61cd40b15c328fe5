package dev.descent.cli;

import dev.descent.cli.build.DataFactory;
import dev.descent.cli.build.Task;
import dev.descent.cli.run.RunDirectory;
import dev.descent.cli.run.TrainedModel;
import dev.descent.tensor.Tensor;
import dev.descent.train.Trainer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code descent predict RUN_DIR --input FILE --output preds.csv}: one row per input row, the
 * predicted class label and a probability column per class ({@code p_<label>}) for
 * classification, or the predicted value for regression. Written atomically.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, versionProvider = Version.class, description = "Write predictions of a trained run for new data as CSV.")
public final class PredictCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run directory written by 'descent train'.")
    Path runDir;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "A CSV with the training feature columns (others are ignored), or IDX images.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "Where to write the predictions (CSV).")
    Path output;

    @Mixin
    CheckpointOption checkpoint;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws Exception {
        threads.apply();
        TrainedModel run = checkpoint.load(runDir);
        run.refuseLanguageModel("predict");
        Tensor x = DataFactory.features(input, run.info());
        Tensor outputs = Trainer.predict(run.model(), x);
        Task task = Task.valueOf(run.info().task());
        int n = x.size(0);
        StringBuilder csv = new StringBuilder();
        if (!task.classification()) {
            csv.append("prediction\n");
            float[] v = outputs.toFloatArray();
            for (int i = 0; i < n; i++) csv.append(v[i]).append('\n');
        } else {
            List<String> classes = run.info().classes();
            Tensor probs = run.loss().probabilities(outputs);
            float[] p = null;
            if (probs != null) {
                if (task == Task.BINARY) {
                    // One column holds P(class 1); write both classes' probabilities.
                    float[] p1 = probs.toFloatArray();
                    p = new float[2 * n];
                    for (int i = 0; i < n; i++) {
                        p[2 * i] = 1 - p1[i];
                        p[2 * i + 1] = p1[i];
                    }
                } else {
                    p = probs.toFloatArray();
                }
            }
            int[] predicted = predictedClasses(outputs, task, run.loss().name());
            csv.append("prediction");
            if (p != null) for (String c : classes) csv.append(',').append(csvCell("p_" + c));
            csv.append('\n');
            int k = classes.size();
            for (int i = 0; i < n; i++) {
                csv.append(csvCell(classes.get(predicted[i])));
                if (p != null) for (int j = 0; j < k; j++) csv.append(',').append(p[i * k + j]);
                csv.append('\n');
            }
        }
        RunDirectory.writeAtomically(output, csv.toString());
        System.out.println("wrote " + n + " predictions to " + output + " with " + run.described());
        return Failures.OK;
    }

    private static int[] predictedClasses(Tensor outputs, Task task, String loss) {
        if (task != Task.BINARY) return outputs.argmaxIndices(1);
        float[] v = outputs.toFloatArray();
        double threshold = loss.equals("bce") ? 0.5 : 0.0;
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i] > threshold ? 1 : 0;
        return out;
    }

    private static String csvCell(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
