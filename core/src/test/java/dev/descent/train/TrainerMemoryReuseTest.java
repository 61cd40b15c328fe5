package dev.descent.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.descent.data.TensorDataset;
import dev.descent.loss.Losses;
import dev.descent.nn.Activations;
import dev.descent.nn.Conv2d;
import dev.descent.nn.Dropout;
import dev.descent.nn.Flatten;
import dev.descent.nn.Linear;
import dev.descent.nn.MaxPool2d;
import dev.descent.nn.Module;
import dev.descent.nn.Sequential;
import dev.descent.optim.Optimizers;
import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Trainer.reuseMemory hands batches, activations and last step's gradients back for reuse; the
 * trained weights and the loss curve must come out bit for bit as without it. Sizes are chosen so
 * every activation is big enough to be recycled, with a last incomplete batch of another size.
 */
class TrainerMemoryReuseTest {
    private static final int ROWS = 300, BATCH = 64; // 4 batches of 64 and one of 44

    @Test
    void anMlpWithDropoutTrainsToTheSameBits() {
        Generator gen = Generator.seeded(7);
        TensorDataset data = new TensorDataset(Tensor.randn(gen, ROWS, 64), classes(gen));
        assertSameTraining(() -> {
            Generator g = Generator.seeded(1);
            return Sequential.of(Linear.of(64, 128, g), Activations.relu(), Dropout.of(0.3),
                    Linear.of(128, 128, g), Activations.relu(), Linear.of(128, 10, g));
        }, data);
    }

    @Test
    void aConvNetTrainsToTheSameBits() {
        Generator gen = Generator.seeded(8);
        TensorDataset data = new TensorDataset(Tensor.randn(gen, ROWS, 1, 12, 12), classes(gen));
        assertSameTraining(() -> {
            Generator g = Generator.seeded(2);
            return Sequential.of(Conv2d.of(1, 8, 3, g), Activations.relu(), MaxPool2d.of(2), Flatten.of(), Linear.of(8 * 5 * 5, 10, g));
        }, data);
    }

    @Test
    void gradientsOfTheLastStepStayReadableAfterFit() {
        Generator gen = Generator.seeded(9);
        TensorDataset data = new TensorDataset(Tensor.randn(gen, ROWS, 64), classes(gen));
        Module model = Sequential.of(Linear.of(64, 128, Generator.seeded(3)), Activations.relu(), Linear.of(128, 10, Generator.seeded(4)));
        Trainer.of(model, Losses.crossEntropy(), Optimizers.sgd(0.1)).epochs(1).batchSize(BATCH).seed(5).fit(data);
        Tensor g = model.namedParameters().get("0.weight").grad();
        assertNotNull(g);
        // Reading it still works and nothing has reused its storage: the next allocations of its size are other arrays.
        float[] before = g.toFloatArray();
        for (int i = 0; i < 16; i++) Tensor.empty(g.shape()).data()[0] = Float.NaN;
        assertArrayEquals(before, g.toFloatArray());
    }

    private static Tensor classes(Generator gen) {
        float[] y = new float[ROWS];
        float[] u = Tensor.rand(gen, ROWS).toFloatArray();
        for (int i = 0; i < ROWS; i++) y[i] = (float) Math.floor(u[i] * 10);
        return Tensor.of(y, ROWS);
    }

    private static void assertSameTraining(Supplier<Module> build, TensorDataset data) {
        Module a = build.get(), b = build.get();
        TrainResult with = trainer(a, true).fit(data), without = trainer(b, false).fit(data);
        assertEquals(without.epochs(), with.epochs(), "loss curve");
        Map<String, Tensor> sa = a.stateDict(), sb = b.stateDict();
        assertEquals(sb.keySet(), sa.keySet());
        for (String k : sa.keySet()) assertArrayEquals(sb.get(k).toFloatArray(), sa.get(k).toFloatArray(), k);
    }

    private static Trainer trainer(Module model, boolean reuse) {
        return Trainer.of(model, Losses.crossEntropy(), Optimizers.adam(1e-2)).epochs(3).batchSize(BATCH).seed(6).reuseMemory(reuse);
    }
}
