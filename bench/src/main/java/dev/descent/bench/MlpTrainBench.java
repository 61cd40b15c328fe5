package dev.descent.bench;

import dev.descent.data.TensorDataset;
import dev.descent.nn.Activations;
import dev.descent.nn.Linear;
import dev.descent.nn.Module;
import dev.descent.nn.Sequential;
import dev.descent.tensor.Generator;
import java.nio.file.Path;
import java.util.Map;

/**
 * Issue 6, benchmark 1: MLP 784-256-128-10 (ReLU) on Fashion-MNIST, cross-entropy, Adam 1e-3,
 * batch 128, shuffled; seconds per epoch (each epoch, median of epochs 2..N) and test accuracy.
 * PyTorch's twin is {@code scripts/bench_train_torch.py mlp}; scripts/bench-train-inprocess.sh runs both.
 *
 * <p>Arguments: {@code --threads 1} {@code --epochs 5} {@code --limit 0} (first N training
 * images, 0 = all) {@code --data ../shared/data/fashion-mnist} {@code --seed 1}; {@code --quick}: one epoch on
 * one batch of 32 images, tested on the next 32 (a smoke run, CI's).
 */
public final class MlpTrainBench {
    private MlpTrainBench() {}

    public static void main(String[] argv) {
        Map<String, String> a = TrainBenchSupport.args(argv, TrainBenchSupport.defaults(
                "threads", "1", "epochs", "5", "limit", "0", "data", "../shared/data/fashion-mnist", "seed", "1"));
        int threads = TrainBenchSupport.threads(a);
        boolean quick = TrainBenchSupport.quick(a);
        Path dir = Path.of(a.get("data"));
        int epochs = quick ? 1 : Integer.parseInt(a.get("epochs"));
        // Flattened once up front (as the torch twin does) so both time only the training.
        TensorDataset[] data = TrainBenchSupport.fashion(dir, Integer.parseInt(a.get("limit")), quick);
        TensorDataset train = TrainBenchSupport.flattened(data[0]), test = TrainBenchSupport.flattened(data[1]);
        long seed = Long.parseLong(a.get("seed"));
        Generator gen = Generator.seeded(seed);
        Module model = Sequential.of(
                Linear.of(784, 256, gen), Activations.relu(),
                Linear.of(256, 128, gen), Activations.relu(),
                Linear.of(128, 10, gen));
        EpochBench.run("mlp", model, train, test, epochs, 128, threads, seed);
    }
}
