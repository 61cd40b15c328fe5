package dev.descent.fed;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs the sampled clients of one round and returns their updates, in any order
 * ({@link FederatedAveraging} sorts them by client id). {@link #local} runs them one after the
 * other in this process; the {@code descent-spark} module runs them as Spark tasks.
 */
@FunctionalInterface
public interface ClientRunner {
    List<ClientUpdate> run(int round, int[] clients, float[] global, ClientTraining training) throws Exception;

    /** The clients one after the other, in this process. */
    static ClientRunner local() {
        return (round, clients, global, training) -> {
            List<ClientUpdate> out = new ArrayList<>();
            for (int c : clients) out.add(training.train(round, c, global));
            return out;
        };
    }
}
