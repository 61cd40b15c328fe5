package dev.descent.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.data.Csv;
import dev.descent.data.Split;
import dev.descent.data.Tabular;
import dev.descent.data.TensorDataset;
import dev.descent.loss.Losses;
import dev.descent.metric.Metrics;
import dev.descent.nn.Activations;
import dev.descent.nn.Dropout;
import dev.descent.nn.Linear;
import dev.descent.nn.Sequential;
import dev.descent.schedule.Schedule;
import dev.descent.schedule.Schedules;
import dev.descent.optim.Optimizers;
import dev.descent.tensor.Generator;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java example of README.md, as written there (digits instead of MNIST, so it runs in a
 * second): it must compile, train, and reach a useful accuracy.
 */
class HouseExampleTest {
    @TempDir Path runDir;

    @Test
    void readmeExampleTrains() throws IOException {
        TensorDataset trainSet, valSet;
        try (var in = getClass().getResourceAsStream("/data/digits.csv")) {
            var all = Tabular.classification(Csv.read(new InputStreamReader(in, StandardCharsets.UTF_8), "digits.csv"), "digit").data();
            var scaled = new TensorDataset(all.features().div(16.0), all.targets());
            Split split = Split.stratified(scaled.classIndices(), 0.2, Generator.seeded(0));
            trainSet = scaled.subset(split.train());
            valSet = scaled.subset(split.validation());
        }

        // --- README example begins
        Generator rng = Generator.seeded(42);
        var model = Sequential.of(Linear.of(64, 128, rng), Activations.relu(), Dropout.of(0.2), Linear.of(128, 10, rng));

        Schedule lr = Schedules.warmup(50, 0.01, Schedules.cosine(3e-3, 1_000, 0.0));
        var optimizer = Optimizers.adamW(lr, 0.01).clipByGlobalNorm(1.0);

        TrainResult result = Trainer.of(model, Losses.crossEntropy(), optimizer)
                .epochs(20).batchSize(64).seed(42)
                .validation(valSet, Metrics.accuracy(), Metrics.f1Macro())
                .callbacks(Callbacks.earlyStopping("val_loss", 3), Callbacks.checkpoint(runDir))
                .fit(trainSet);
        // --- README example ends

        assertTrue(result.last().get("val_accuracy") > 0.93, result.last().toString());
        assertTrue(Files.exists(runDir.resolve("best.safetensors")));
    }
}
