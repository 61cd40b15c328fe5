package dev.descent.bench;

import dev.descent.data.TensorDataset;
import dev.descent.nn.Activations;
import dev.descent.nn.Conv2d;
import dev.descent.nn.Flatten;
import dev.descent.nn.Linear;
import dev.descent.nn.MaxPool2d;
import dev.descent.nn.Module;
import dev.descent.nn.Sequential;
import dev.descent.tensor.Generator;
import java.nio.file.Path;
import java.util.Map;

/**
 * Issue 6, benchmark 2: CNN on Fashion-MNIST, conv 1->32 3x3 + ReLU + max-pool 2, conv 32->64
 * 3x3 + ReLU + max-pool 2, flatten (64*5*5 = 1600), linear 128 + ReLU, linear 10; Adam 1e-3,
 * batch 128; seconds per epoch and test accuracy after the last epoch. No padding, as in the
 * usual PyTorch version of this net (28 -> 26 -> 13 -> 11 -> 5).
 *
 * <p>Arguments: {@code --threads 1} {@code --epochs 2} {@code --limit 0} (first N training
 * images, 0 = all; for quick runs) {@code --data ../shared/data/fashion-mnist} {@code --seed 1}; {@code --quick}: one epoch on
 * one batch of 32 images, tested on the next 32 (a smoke run, CI's).
 */
public final class CnnTrainBench {
    private CnnTrainBench() {}

    public static void main(String[] argv) {
        Map<String, String> a = TrainBenchSupport.args(argv, TrainBenchSupport.defaults(
                "threads", "1", "epochs", "2", "limit", "0", "data", "../shared/data/fashion-mnist", "seed", "1"));
        int threads = TrainBenchSupport.threads(a);
        boolean quick = TrainBenchSupport.quick(a);
        Path dir = Path.of(a.get("data"));
        int epochs = quick ? 1 : Integer.parseInt(a.get("epochs"));
        TensorDataset[] data = TrainBenchSupport.fashion(dir, Integer.parseInt(a.get("limit")), quick);
        TensorDataset train = data[0], test = data[1];
        long seed = Long.parseLong(a.get("seed"));
        Generator gen = Generator.seeded(seed);
        Module model = Sequential.of(
                Conv2d.of(1, 32, 3, gen), Activations.relu(), MaxPool2d.of(2),
                Conv2d.of(32, 64, 3, gen), Activations.relu(), MaxPool2d.of(2),
                Flatten.of(),
                Linear.of(64 * 5 * 5, 128, gen), Activations.relu(),
                Linear.of(128, 10, gen));
        EpochBench.run("cnn", model, train, test, epochs, 128, threads, seed);
    }
}
