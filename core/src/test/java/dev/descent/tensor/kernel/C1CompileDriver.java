package dev.descent.tensor.kernel;

import dev.descent.data.TensorDataset;
import dev.descent.loss.Losses;
import dev.descent.nn.Activations;
import dev.descent.nn.BatchNorm1d;
import dev.descent.nn.BatchNorm2d;
import dev.descent.nn.Conv2d;
import dev.descent.nn.Dropout;
import dev.descent.nn.Flatten;
import dev.descent.nn.LayerNorm;
import dev.descent.nn.Linear;
import dev.descent.nn.MaxPool2d;
import dev.descent.nn.Module;
import dev.descent.nn.Sequential;
import dev.descent.optim.Optimizers;
import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import dev.descent.train.Trainer;

/**
 * The process {@link C1CompileSizeTest} runs under C1 alone: trains the user's-path models (the
 * README's MLP with {@code flatten}, the CNN with fewer channels, whose pooling still sees 26- and
 * 11-wide planes, a CNN with
 * BatchNorm, an MLP with every activation, LayerNorm, BatchNorm1d and Dropout) on random 28 x 28
 * images for enough steps that every vector kernel they call is compiled at tier 3, OSR included.
 * Argument: the number of epochs (of 16 batches of 32).
 */
public final class C1CompileDriver {
    private C1CompileDriver() {}

    public static void main(String[] args) {
        int epochs = Integer.parseInt(args[0]);
        Generator gen = Generator.seeded(7);
        int n = 64;
        Tensor images = Tensor.rand(gen, n, 1, 28, 28);
        float[] labels = new float[n];
        for (int i = 0; i < n; i++) labels[i] = i % 10;
        TensorDataset data = new TensorDataset(images, Tensor.of(labels, n));
        Module cnn = Sequential.of(
                Conv2d.of(1, 8, 3, gen), Activations.relu(), MaxPool2d.of(2),
                Conv2d.of(8, 16, 3, gen), Activations.relu(), MaxPool2d.of(2),
                Flatten.of(), Linear.of(16 * 5 * 5, 32, gen), Activations.relu(), Linear.of(32, 10, gen));
        Module cnnBn = Sequential.of(
                Conv2d.of(1, 8, 3, gen), BatchNorm2d.of(8), Activations.relu(), MaxPool2d.of(2),
                Flatten.of(), Linear.of(8 * 13 * 13, 10, gen));
        Module mlp = Sequential.of(Flatten.of(), Linear.of(784, 256, gen), Activations.relu(),
                Linear.of(256, 128, gen), Activations.relu(), Linear.of(128, 10, gen));
        Module activations = Sequential.of(Flatten.of(), Linear.of(784, 64, gen), LayerNorm.of(64), Activations.gelu(),
                Linear.of(64, 64, gen), BatchNorm1d.of(64), Activations.tanh(), Dropout.of(0.1),
                Linear.of(64, 64, gen), Activations.sigmoid(), Linear.of(64, 64, gen), Activations.silu(),
                Linear.of(64, 64, gen), Activations.elu(), Linear.of(64, 64, gen), Activations.softplus(),
                Linear.of(64, 64, gen), Activations.leakyRelu(), Linear.of(64, 10, gen));
        String[] names = {"cnn", "cnn with batch norm", "mlp", "every activation"};
        Module[] models = {cnn, cnnBn, mlp, activations};
        for (int i = 0; i < models.length; i++) {
            Module model = models[i];
            long t = System.nanoTime();
            Trainer.of(model, Losses.crossEntropy(), Optimizers.adam(1e-3)).epochs(epochs).batchSize(32).shuffle(true).seed(1).fit(data);
            System.out.println(names[i] + ": " + (System.nanoTime() - t) / 1_000_000 + " ms");
        }
        Trainer.of(mlp, Losses.crossEntropy(), Optimizers.sgd(0.01, 0.9)).epochs(epochs).batchSize(32).shuffle(true).seed(1).fit(data);
        System.out.println("trained");
    }
}
