package dev.descent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.descent.data.Csv;
import dev.descent.data.CsvTable;
import dev.descent.data.Tabular;
import dev.descent.data.TensorDataset;
import dev.descent.io.Safetensors;
import dev.descent.loss.Loss;
import dev.descent.loss.Losses;
import dev.descent.nn.Activations;
import dev.descent.nn.Linear;
import dev.descent.nn.Sequential;
import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import dev.descent.tensor.Generator;
import dev.descent.tensor.GradMode;
import dev.descent.tensor.Tensor;
import dev.descent.testing.ReferenceJson;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Replays ../shared/reference/e2e/sgd_momentum.json: a 64-32-10 MLP on digits.csv (first 1280
 * rows for training in file order, batch 64, no shuffling; the other 517 for testing; pixels
 * divided by 16), initialised from PyTorch's safetensors, trained 3 epochs with SGD (lr 0.1,
 * momentum 0.9) on mean cross-entropy. Every one of the 60 step losses must agree with PyTorch's
 * to 1e-4 relative and the final test accuracy exactly.
 *
 * <p>Why 1e-4: both runs are float32; summation orders differ (our GEMM is one FMA chain per
 * output, PyTorch's BLAS blocks differently), so each step's parameters differ by float32
 * rounding, and 60 steps of SGD with momentum let those differences grow by a few orders of
 * magnitude while staying far below 1e-4 relative; a wrong gradient or update is off by far more
 * within a step or two.
 */
class SgdMomentumReferenceRunTest {
    @Test
    void reproducesEveryStepLossAndTheTestAccuracy() throws IOException {
        JsonNode ref = ReferenceJson.load("reference/e2e/sgd_momentum.json");
        CsvTable table;
        try (var in = getClass().getResourceAsStream("/data/digits.csv")) {
            table = Csv.read(new InputStreamReader(in, StandardCharsets.UTF_8), "digits.csv");
        }
        Tabular.Labeled all = Tabular.classification(table, "digit");
        TensorDataset data = new TensorDataset(all.data().features().div(16.0), all.data().targets());
        TensorDataset train = data.range(0, 1280), test = data.range(1280, data.size());

        Sequential model = Sequential.of(Linear.of(64, 32, Generator.seeded(0)), Activations.relu(), Linear.of(32, 10, Generator.seeded(0)));
        byte[] init;
        try (var in = getClass().getResourceAsStream("/reference/e2e/sgd_momentum.init.safetensors")) {
            init = in.readAllBytes();
        }
        model.loadStateDict(Safetensors.fromBytes(init, "sgd_momentum.init.safetensors").tensors(), true);

        Loss loss = Losses.crossEntropy();
        Optimizer sgd = Optimizers.sgd(0.1, 0.9).bind(model.namedParameters());
        JsonNode expected = ref.get("expected_step_losses");
        int step = 0;
        for (int epoch = 0; epoch < 3; epoch++) {
            for (int from = 0; from < train.size(); from += 64) {
                TensorDataset batch = train.range(from, Math.min(train.size(), from + 64));
                sgd.zeroGrad();
                Tensor l = loss.apply(model.forward(batch.features()), batch.targets());
                l.backward();
                sgd.step();
                double want = expected.get(step).asDouble();
                assertEquals(want, l.item(), 1e-4 * Math.abs(want), "loss of step " + step);
                step++;
            }
        }
        assertEquals(expected.size(), step, "one loss per step");

        try (var scope = GradMode.noGrad()) {
            int[] predicted = model.eval().forward(test.features()).argmaxIndices(1);
            int[] truth = test.classIndices();
            int correct = 0;
            for (int i = 0; i < truth.length; i++) if (predicted[i] == truth[i]) correct++;
            // PyTorch stores float32(correct / 517); compare in float32
            assertEquals((float) ref.get("expected_test_accuracy").asDouble(), (float) correct / truth.length);
        }
    }
}
