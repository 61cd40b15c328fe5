package dev.descent.bench;

import dev.descent.data.TensorDataset;
import dev.descent.loss.Losses;
import dev.descent.nn.Module;
import dev.descent.optim.Optimizers;
import dev.descent.train.Trainer;
import dev.descent.train.TrainingEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * The epoch-timed classification run that MlpTrainBench and CnnTrainBench share: Descent's own
 * {@link Trainer} (the path a user takes), cross-entropy, Adam lr 1e-3, shuffled batches, no
 * validation during training so the timed epochs hold only training. Each epoch is timed from
 * its EpochStart to its EpochEnd event, and printed as soon as it ends so a slow run shows
 * progress. Test accuracy is measured after the last epoch, outside the timing.
 */
final class EpochBench {
    private EpochBench() {}

    static void run(String bench, Module model, TensorDataset train, TensorDataset test, int epochs, int batch, int threads, long seed) {
        List<Double> seconds = new ArrayList<>();
        long[] start = new long[1];
        Trainer trainer = Trainer.of(model, Losses.crossEntropy(), Optimizers.adam(1e-3))
                .epochs(epochs).batchSize(batch).shuffle(true).seed(seed)
                .callbacks((event, control) -> {
                    if (event instanceof TrainingEvent.EpochStart) {
                        start[0] = System.nanoTime();
                    } else if (event instanceof TrainingEvent.EpochEnd end) {
                        double s = (System.nanoTime() - start[0]) / 1e9;
                        seconds.add(s);
                        TrainBenchSupport.line("epoch", "bench", bench, "impl", "descent", "threads", threads,
                                "epoch", end.epoch() + 1, "seconds", s, "loss", end.metrics().get("loss"));
                    }
                });
        trainer.fit(train);
        double accuracy = TrainBenchSupport.accuracy(model, test);
        // Epoch 1 pays for JIT compilation and first-touch allocation; the figure is the
        // median of epochs 2..N (falls back to epoch 1 when only one epoch ran).
        TrainBenchSupport.line("result", "bench", bench, "impl", "descent", "threads", threads,
                "epochs", seconds.size(), "train_size", train.size(), "sec_per_epoch_median", TrainBenchSupport.medianFrom(seconds, 1),
                "sec_per_epoch_min", seconds.stream().skip(seconds.size() > 1 ? 1 : 0).mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                "epoch_seconds", TrainBenchSupport.list(seconds), "accuracy", accuracy, "peak_rss_mb", TrainBenchSupport.peakRssMb());
    }
}
