package dev.descent.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.descent.data.TensorDataset;
import dev.descent.fed.ClientPartition;
import dev.descent.fed.ClientRunner;
import dev.descent.fed.ClientTraining;
import dev.descent.fed.FederatedAveraging;
import dev.descent.fed.LocalTraining;
import dev.descent.fed.ModelVector;
import dev.descent.fed.ServerOptimizer;
import dev.descent.loss.Losses;
import dev.descent.optim.Optimizers;
import dev.descent.tensor.Generator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/** FedAvg/FedProx with FedAdam rounds as Spark jobs: local[1] and local[2] give the in-process bits. */
class SparkFederatedTest {
    private static float[] run(ClientRunner runner, ClientTraining training, List<FederatedAveraging.Round> log) throws Exception {
        return new FederatedAveraging(6, 0.5, 3, ServerOptimizer.fedAdam(0.05, 0.9, 0.99, 1e-3))
                .run(ModelVector.of(Fixtures.mlp()), 3, training, runner, g -> Map.of(), log::add);
    }

    @Test
    void roundsOnSparkGiveTheInProcessBits() throws Exception {
        TensorDataset data = Fixtures.data();
        int[][] parts = ClientPartition.dirichlet(data.classIndices(), 3, 6, 0.5, Generator.seeded(2));
        ClientTraining training = (round, client, global) -> LocalTraining.run(round, client, global, Fixtures.mlp(),
                Losses.crossEntropy(), Optimizers.sgd(0.1), Fixtures.data().subset(parts[client]), 1, 16, 7, 0.01);
        List<FederatedAveraging.Round> reference = new ArrayList<>();
        float[] inProcess = run(ClientRunner.local(), training, reference);
        for (String master : new String[] {"local[1]", "local[2]"}) {
            try (JavaSparkContext sc = SparkSessions.start(master, "descent-fed-test")) {
                List<FederatedAveraging.Round> log = new ArrayList<>();
                assertArrayEquals(inProcess, run(new SparkClients(sc), training, log), master);
                for (int r = 0; r < 3; r++) {
                    assertArrayEquals(reference.get(r).clients(), log.get(r).clients());
                    assertEquals(reference.get(r).drift(), log.get(r).drift(), 0.0, master + " round " + r);
                }
            }
        }
    }
}
