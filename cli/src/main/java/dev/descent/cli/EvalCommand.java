package dev.descent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.descent.cli.build.DataFactory;
import dev.descent.cli.config.ConfigException;
import dev.descent.cli.run.TrainedModel;
import dev.descent.data.TensorDataset;
import dev.descent.train.Trainer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code descent eval RUN_DIR}: the run's loss and metrics on its test data or on a given file. */
@Command(name = "eval", mixinStandardHelpOptions = true, versionProvider = Version.class, description = "Evaluate a trained run on its test data (or --data FILE).")
public final class EvalCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run directory written by 'descent train'.")
    Path runDir;

    @Option(names = "--data", paramLabel = "FILE", description = "Labeled data: a CSV with the training columns, or IDX images (with --labels).")
    Path data;

    @Option(names = "--labels", paramLabel = "FILE", description = "IDX labels file for --data images.")
    Path labels;

    @Mixin
    CheckpointOption checkpoint;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws Exception {
        threads.apply();
        TrainedModel run = checkpoint.load(runDir);
        run.refuseLanguageModel("eval");
        JsonNode source;
        String what;
        if (data != null) {
            what = "--data";
            if (run.info().format().equals("idx")) {
                if (labels == null) throw new ConfigException("--labels: required with --data for an IDX run");
                ObjectNode idx = JsonNodeFactory.instance.objectNode();
                idx.put("images", data.toAbsolutePath().toString());
                idx.put("labels", labels.toAbsolutePath().toString());
                source = idx;
            } else {
                source = JsonNodeFactory.instance.textNode(data.toAbsolutePath().toString());
            }
        } else {
            what = "data.test";
            source = run.config().root().path("data").get("test");
        }
        TensorDataset set;
        if (source != null && !source.isNull()) {
            set = DataFactory.labeled(run.config(), what, source, run.info());
        } else if (run.config().root().path("data").has("test_split")) {
            // The test rows were held out of the training file: the same seed splits it the same way again.
            var top = run.config().top();
            set = DataFactory.prepare(run.config(), top.section("data"), run.loss(), top.integer("seed", 0)).test();
        } else {
            throw new ConfigException(runDir + ": the run has no test data (data.test or data.test_split); give --data FILE");
        }
        var metrics = Trainer.evaluate(run.model(), run.loss().loss(), set, run.metrics());
        System.out.println("checkpoint " + run.described() + ", " + set.size() + " examples");
        metrics.forEach((k, v) -> System.out.printf(java.util.Locale.ROOT, "%-12s %.6f%n", k, v));
        return Failures.OK;
    }
}
