package dev.descent.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.descent.fed.ClientRunner;
import dev.descent.fed.ClientTraining;
import dev.descent.fed.FederatedAveraging;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/** FedAvg/FedProx with FedAdam rounds as Spark jobs: local[1] and local[2] give the in-process bits. */
class SparkFederatedTest {
    @Test
    void roundsOnSparkGiveTheInProcessBits() throws Exception {
        ClientTraining training = Fixtures.clients(0);
        List<FederatedAveraging.Round> reference = new ArrayList<>();
        float[] inProcess = Fixtures.federated(ClientRunner.local(), training, 3, reference);
        for (String master : new String[] {"local[1]", "local[2]"}) {
            try (JavaSparkContext sc = SparkSessions.start(master, "descent-fed-test")) {
                List<FederatedAveraging.Round> log = new ArrayList<>();
                assertArrayEquals(inProcess, Fixtures.federated(new SparkClients(sc), training, 3, log), master);
                for (int r = 0; r < 3; r++) {
                    assertArrayEquals(reference.get(r).clients(), log.get(r).clients());
                    assertEquals(reference.get(r).drift(), log.get(r).drift(), 0.0, master + " round " + r);
                }
            }
        }
    }
}
