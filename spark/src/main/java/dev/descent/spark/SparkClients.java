package dev.descent.spark;

import dev.descent.fed.ClientRunner;
import dev.descent.fed.ClientTraining;
import dev.descent.fed.ClientUpdate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Federated rounds on Spark: one job per round. The global state is broadcast, the sampled client
 * ids are spread over at most {@code defaultParallelism} partitions, each task runs the clients
 * of its partition ({@link ClientTraining}, which rebuilds its data and model itself), and the
 * driver collects the updates. {@link dev.descent.fed.FederatedAveraging} sorts them by client and
 * averages in its fixed tree, so the result is the same bits for local[1], local[2] or a cluster.
 * One job per round costs Spark's scheduling (tens of milliseconds) once per round, not per step.
 */
public final class SparkClients implements ClientRunner {
    private final JavaSparkContext sc;

    public SparkClients(JavaSparkContext sc) {
        this.sc = sc;
    }

    @Override
    public List<ClientUpdate> run(int round, int[] clients, float[] global, ClientTraining training) {
        Broadcast<float[]> state = sc.broadcast(global);
        try {
            List<Integer> ids = new ArrayList<>();
            for (int c : clients) ids.add(c);
            int slices = Math.max(1, Math.min(ids.size(), sc.defaultParallelism()));
            return new ArrayList<>(sc.parallelize(ids, slices).map(c -> training.train(round, c, state.value())).collect());
        } finally {
            state.destroy();
        }
    }
}
