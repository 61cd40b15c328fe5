package dev.descent.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.data.TensorDataset;
import dev.descent.loss.Loss;
import dev.descent.loss.Losses;
import dev.descent.metric.Metrics;
import dev.descent.nn.Linear;
import dev.descent.nn.Module;
import dev.descent.nn.ReLU;
import dev.descent.nn.Sequential;
import dev.descent.optim.OptimizerSpec;
import dev.descent.optim.Optimizers;
import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Trainer with compiled steps (the default for Linear/ReLU models with MSE,
 * BCE-with-logits or cross-entropy) against the same training run eagerly: the same weights bit for bit, the
 * same per-step losses and gradient norms, with memory reuse on and off (reuse must not hand the
 * plan's own gradient tensors to the pool), a last batch smaller than the others, validation,
 * and a gradient clip that the optimizer measures.
 */
class TrainerCompiledStepsTest {
    private static final int ROWS = 200; // batches of 32: six full ones and one of 8

    private static Module mlp(int out) {
        Generator g = Generator.seeded(3);
        return Sequential.of(Linear.of(4, 16, g), new ReLU(), Linear.of(16, 8, g), new ReLU(), Linear.of(8, out, g));
    }

    /** Three classes by the sign pattern of two features, as class indices [rows]. */
    private static TensorDataset classes(long seed) {
        Tensor x = Tensor.randn(Generator.seeded(seed), ROWS, 4);
        float[] v = x.toFloatArray(), y = new float[ROWS];
        for (int i = 0; i < ROWS; i++) y[i] = v[4 * i] > 0.3f ? 2f : v[4 * i + 1] > 0 ? 1f : 0f;
        return new TensorDataset(x, Tensor.of(y, ROWS));
    }

    private static TensorDataset data(boolean binary, long seed) {
        Tensor x = Tensor.randn(Generator.seeded(seed), ROWS, 4);
        float[] v = x.toFloatArray(), y = new float[ROWS];
        for (int i = 0; i < ROWS; i++) {
            float s = v[4 * i] - 2 * v[4 * i + 1] + 0.5f * v[4 * i + 2] * v[4 * i + 3];
            y[i] = binary ? (s > 0 ? 1f : 0f) : s;
        }
        return new TensorDataset(x, Tensor.of(y, ROWS, 1));
    }

    /** Per-step losses and gradient norms, and the final weights. */
    private record Outcome(List<double[]> steps, Map<String, float[]> weights, TrainResult result) {}

    private static Outcome train(boolean compile, boolean reuse, boolean binary, Loss loss, OptimizerSpec spec) {
        return train(compile, reuse, mlp(1), data(binary, 5), data(binary, 99), binary, loss, spec);
    }

    private static Outcome train(boolean compile, boolean reuse, Module model, TensorDataset trainSet, TensorDataset validation,
                                 boolean accuracy, Loss loss, OptimizerSpec spec) {
        List<double[]> steps = new ArrayList<>();
        Callback record = (e, control) -> {
            if (e instanceof TrainingEvent.Step s) steps.add(new double[] {s.loss(), s.gradNorm()});
        };
        TrainResult r = Trainer.of(model, loss, spec).epochs(3).batchSize(32).seed(7)
                .validation(validation, accuracy ? new dev.descent.metric.Metric[] {Metrics.accuracy()} : new dev.descent.metric.Metric[0])
                .compileSteps(compile).reuseMemory(reuse).withoutPrefetch().callbacks(record).fit(trainSet);
        Map<String, float[]> weights = new java.util.LinkedHashMap<>();
        model.namedParameters().forEach((k, t) -> weights.put(k, t.toFloatArray()));
        return new Outcome(steps, weights, r);
    }

    private static void assertSame(Outcome eager, Outcome compiled) {
        assertEquals(eager.steps().size(), compiled.steps().size());
        assertTrue(eager.steps().size() >= 21, "7 steps an epoch for 3 epochs");
        for (int i = 0; i < eager.steps().size(); i++) {
            assertArrayEquals(eager.steps().get(i), compiled.steps().get(i), 0.0, "loss and grad norm of step " + i);
        }
        for (String k : eager.weights().keySet()) assertArrayEquals(eager.weights().get(k), compiled.weights().get(k), k);
        assertEquals(eager.result().epochs(), compiled.result().epochs());
    }

    @Test
    void regressionWithAdamIsTheSameCompiledOrEagerWithReuseOnAndOff() {
        OptimizerSpec adam = Optimizers.adam(0.01);
        Outcome eager = train(false, true, false, Losses.mse(), adam);
        assertSame(eager, train(true, true, false, Losses.mse(), adam));
        assertSame(eager, train(true, false, false, Losses.mse(), adam));
        assertSame(eager, train(false, false, false, Losses.mse(), adam));
    }

    @Test
    void binaryClassificationWithClippedMomentumIsTheSameCompiledOrEager() {
        OptimizerSpec sgd = Optimizers.sgd(0.05, 0.9).clipByGlobalNorm(0.5);
        assertSame(train(false, true, true, Losses.bceWithLogits(), sgd), train(true, true, true, Losses.bceWithLogits(), sgd));
    }

    @Test
    void classifierWithCrossEntropyIsTheSameCompiledOrEager() {
        OptimizerSpec adamW = Optimizers.adamW(0.01, 0.01);
        Outcome eager = train(false, true, mlp(3), classes(5), classes(99), true, Losses.crossEntropy(), adamW);
        assertSame(eager, train(true, true, mlp(3), classes(5), classes(99), true, Losses.crossEntropy(), adamW));
    }
}
