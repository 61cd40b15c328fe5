package dev.descent.fed;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The server loop of federated averaging: for each round r, sample clients
 * ({@link ClientSampler}), run their local training through a {@link ClientRunner}, average the
 * returned states weighted by the clients' row counts,
 *
 * <pre>
 * a = tree over the sampled clients in ascending id of (n_k w_k)  /  sum of n_k
 * </pre>
 *
 * (the sum in double, in the fixed pairwise tree over the sorted list, so the result does not
 * depend on the order in which an engine returns the updates, nor on how many executors ran them),
 * then apply the {@link ServerOptimizer}. Each round reports the clients' mean local loss, the
 * client drift (mean L2 distance of the clients' states from the round's global state) and the
 * global model's evaluation.
 */
public final class FederatedAveraging {
    /** One round's figures. */
    public record Round(int round, int[] clients, double clientLoss, double drift, Map<String, Double> evaluation) {}

    private final int clients;
    private final double fraction;
    private final long seed;
    private final ServerOptimizer server;

    public FederatedAveraging(int clients, double fraction, long seed, ServerOptimizer server) {
        if (clients < 1) throw new IllegalArgumentException("clients must be at least 1, got " + clients);
        this.clients = clients;
        this.fraction = fraction;
        this.seed = seed;
        this.server = server;
    }

    /**
     * Runs {@code rounds} rounds from {@code initial}; {@code evaluate} gives the metrics of a
     * global state (validation loss and accuracy, say; may return an empty map), {@code onRound}
     * sees each round as it ends.
     *
     * @return the final global state
     */
    public float[] run(float[] initial, int rounds, ClientTraining training, ClientRunner runner,
                       Function<float[], Map<String, Double>> evaluate, java.util.function.Consumer<Round> onRound) throws Exception {
        return run(initial, 0, rounds, training, runner, evaluate, (round, global) -> onRound.accept(round));
    }

    /**
     * Runs rounds {@code from} to {@code rounds - 1} from {@code initial}, the global state after
     * round {@code from - 1} (with the server optimizer's state of that moment: a resumed run). A
     * round depends on nothing but this state, the seed and its number (the clients it samples,
     * their local training's generators), so resuming after round r computes what an
     * uninterrupted run computes. {@code onRound} sees each round with the global state it ended
     * with (and the server optimizer's state then current).
     *
     * @return the final global state
     */
    public float[] run(float[] initial, int from, int rounds, ClientTraining training, ClientRunner runner,
                       Function<float[], Map<String, Double>> evaluate, BiConsumer<Round, float[]> onRound) throws Exception {
        float[] global = initial.clone();
        for (int r = from; r < rounds; r++) {
            int[] sampled = ClientSampler.sample(seed, r, clients, fraction);
            List<ClientUpdate> updates = new ArrayList<>(runner.run(r, sampled, global, training));
            updates.sort(Comparator.comparingInt(ClientUpdate::client));
            if (updates.size() != sampled.length) {
                throw new IllegalStateException("round " + r + ": " + sampled.length + " clients sampled, " + updates.size() + " updates returned");
            }
            float[] average = average(updates);
            double drift = 0, loss = 0;
            for (ClientUpdate u : updates) {
                double d = 0;
                for (int i = 0; i < global.length; i++) {
                    double x = (double) u.state()[i] - global[i];
                    d += x * x;
                }
                drift += Math.sqrt(d) / updates.size();
                loss += u.loss() / updates.size();
            }
            global = server.step(global, average);
            onRound.accept(new Round(r, sampled, loss, drift, new LinkedHashMap<>(evaluate.apply(global))), global);
        }
        return global;
    }

    /** The weighted average of the updates (sorted by client id) in the fixed pairwise tree. */
    public static float[] average(List<ClientUpdate> sorted) {
        long total = 0;
        for (ClientUpdate u : sorted) total += u.samples();
        double[] sum = tree(sorted, 0, sorted.size());
        float[] out = new float[sum.length];
        for (int i = 0; i < out.length; i++) out[i] = (float) (sum[i] / total);
        return out;
    }

    private static double[] tree(List<ClientUpdate> u, int lo, int hi) {
        if (hi - lo == 1) {
            float[] w = u.get(lo).state();
            double n = u.get(lo).samples();
            double[] out = new double[w.length];
            for (int i = 0; i < w.length; i++) out[i] = n * w[i];
            return out;
        }
        int mid = (lo + hi) >>> 1;
        double[] a = tree(u, lo, mid), b = tree(u, mid, hi);
        if (a.length != b.length) throw new IllegalArgumentException("client states of different sizes: " + a.length + " and " + b.length);
        for (int i = 0; i < a.length; i++) a[i] += b[i];
        return a;
    }
}
