package dev.descent.spark;

import dev.descent.data.TensorDataset;
import dev.descent.fed.ClientPartition;
import dev.descent.fed.ClientRunner;
import dev.descent.fed.ClientTraining;
import dev.descent.fed.FederatedAveraging;
import dev.descent.fed.LocalTraining;
import dev.descent.fed.ModelVector;
import dev.descent.fed.ServerOptimizer;
import dev.descent.loss.Losses;
import dev.descent.nn.Activations;
import dev.descent.nn.BatchNorm1d;
import dev.descent.nn.Dropout;
import dev.descent.nn.Linear;
import dev.descent.nn.Module;
import dev.descent.nn.Sequential;
import dev.descent.optim.Optimizers;
import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import dev.descent.train.Trainer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A seeded problem every task rebuilds identically: data, model with dropout and batch norm, trainer. */
final class Fixtures {
    private Fixtures() {}

    /** 256 rows of 8 Gaussian features; the class is the argmax of a fixed random 8 x 3 map. */
    static TensorDataset data() {
        Generator g = Generator.seeded(21);
        int n = 256, d = 8, k = 3;
        float[] x = new float[n * d], w = new float[d * k], y = new float[n];
        for (int i = 0; i < w.length; i++) w[i] = (float) g.nextGaussian();
        for (int i = 0; i < x.length; i++) x[i] = (float) g.nextGaussian();
        for (int i = 0; i < n; i++) {
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double s = 0;
                for (int j = 0; j < d; j++) s += x[i * d + j] * w[j * k + c];
                if (s > bestScore) {
                    bestScore = s;
                    best = c;
                }
            }
            y[i] = best;
        }
        return new TensorDataset(Tensor.of(x, n, d), Tensor.of(y, n));
    }

    static Module model() {
        Generator g = Generator.seeded(5);
        return Sequential.of(Linear.of(8, 16, g), BatchNorm1d.of(16), Activations.relu(), Dropout.of(0.2), Linear.of(16, 3, g));
    }

    /** The same without batch norm: a federated client's last batch may hold a single row. */
    static Module mlp() {
        Generator g = Generator.seeded(5);
        return Sequential.of(Linear.of(8, 16, g), Activations.relu(), Dropout.of(0.2), Linear.of(16, 3, g));
    }

    /**
     * Local training of the 6 Dirichlet(0.5) clients of {@link #data()} (FedProx, mu 0.01), each
     * client taking at least {@code pauseMillis} (a pause after training, which changes no bits):
     * long enough, in the cluster test, to kill an executor while it runs a round's clients.
     */
    static ClientTraining clients(long pauseMillis) {
        int[][] parts = ClientPartition.dirichlet(data().classIndices(), 3, 6, 0.5, Generator.seeded(2));
        return (round, client, global) -> {
            var update = LocalTraining.run(round, client, global, mlp(), Losses.crossEntropy(), Optimizers.sgd(0.1),
                    data().subset(parts[client]), 1, 16, 7, 0.01);
            if (pauseMillis > 0) Thread.sleep(pauseMillis);
            return update;
        };
    }

    /** {@code rounds} rounds of FedProx with a FedAdam server over the 6 clients, half of them per round; each round goes to {@code log}. */
    static float[] federated(ClientRunner runner, ClientTraining training, int rounds, List<FederatedAveraging.Round> log) throws Exception {
        return new FederatedAveraging(6, 0.5, 3, ServerOptimizer.fedAdam(0.05, 0.9, 0.99, 1e-3))
                .run(ModelVector.of(mlp()), rounds, training, runner, g -> Map.of(), log::add);
    }

    static Trainer trainer(Module model, int shards) {
        return Trainer.of(model, Losses.crossEntropy(), Optimizers.adam(1e-2).clipByGlobalNorm(1.0))
                .epochs(2).batchSize(64).seed(7).shards(shards).withoutPrefetch();
    }

    /** The model's parameters and buffers as plain arrays (what a task sends back). */
    static HashMap<String, float[]> state(Module m) {
        HashMap<String, float[]> out = new HashMap<>();
        m.stateDict().forEach((k, v) -> out.put(k, v.toFloatArray()));
        return out;
    }
}
