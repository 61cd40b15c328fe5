package dev.descent.fed;

import dev.descent.tensor.Generator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits training rows among K clients, seeded, each client's rows in ascending order:
 *
 * <ul>
 *   <li>{@link #iid}: a random permutation cut into K near-equal parts;
 *   <li>{@link #dirichlet}: label skew (Hsu, Qi and Brown, "Measuring the Effects of Non-Identical
 *       Data Distribution for Federated Visual Classification", 2019): for each class, the
 *       class's rows are dealt to the clients in proportions drawn from Dirichlet(alpha, ..., alpha);
 *       small alpha gives each client few classes;
 *   <li>{@link #shards}: McMahan et al. 2017's pathological non-IID split: rows sorted by label, cut
 *       into K x s shards, each client gets s random shards.
 * </ul>
 *
 * A client left without rows is an error naming it (training cannot weigh a client by zero rows).
 */
public final class ClientPartition {
    private ClientPartition() {}

    public static int[][] iid(int rows, int clients, Generator g) {
        check(rows, clients);
        int[] perm = g.permutation(rows);
        int[][] out = new int[clients][];
        for (int k = 0; k < clients; k++) {
            int from = (int) ((long) k * rows / clients), to = (int) ((long) (k + 1) * rows / clients);
            out[k] = Arrays.copyOfRange(perm, from, to);
        }
        return finish(out);
    }

    public static int[][] dirichlet(int[] labels, int classes, int clients, double alpha, Generator g) {
        check(labels.length, clients);
        if (!(alpha > 0)) throw new IllegalArgumentException("dirichlet alpha must be positive, got " + alpha);
        List<List<Integer>> parts = new ArrayList<>();
        for (int k = 0; k < clients; k++) parts.add(new ArrayList<>());
        for (int c = 0; c < classes; c++) {
            List<Integer> rows = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) if (labels[i] == c) rows.add(i);
            int[] perm = g.permutation(rows.size());
            double[] p = new double[clients];
            double total = 0;
            for (int k = 0; k < clients; k++) total += p[k] = gamma(alpha, g);
            double cumulative = 0;
            int from = 0;
            for (int k = 0; k < clients; k++) {
                cumulative += p[k] / total;
                int to = k == clients - 1 ? rows.size() : (int) Math.floor(cumulative * rows.size());
                for (int i = from; i < Math.max(from, to); i++) parts.get(k).add(rows.get(perm[i]));
                from = Math.max(from, to);
            }
        }
        int[][] out = new int[clients][];
        for (int k = 0; k < clients; k++) out[k] = parts.get(k).stream().mapToInt(Integer::intValue).toArray();
        return finish(out);
    }

    public static int[][] shards(int[] labels, int clients, int shardsPerClient, Generator g) {
        check(labels.length, clients);
        int count = clients * shardsPerClient;
        if (shardsPerClient < 1 || count > labels.length) {
            throw new IllegalArgumentException("shards_per_client " + shardsPerClient + " x " + clients + " clients needs at least " + count
                    + " rows, got " + labels.length);
        }
        Integer[] byLabel = new Integer[labels.length];
        for (int i = 0; i < byLabel.length; i++) byLabel[i] = i;
        Arrays.sort(byLabel, (a, b) -> labels[a] != labels[b] ? Integer.compare(labels[a], labels[b]) : Integer.compare(a, b));
        int[] shardOrder = g.permutation(count);
        int[][] out = new int[clients][];
        for (int k = 0; k < clients; k++) {
            List<Integer> rows = new ArrayList<>();
            for (int s = 0; s < shardsPerClient; s++) {
                int shard = shardOrder[k * shardsPerClient + s];
                int from = (int) ((long) shard * labels.length / count), to = (int) ((long) (shard + 1) * labels.length / count);
                for (int i = from; i < to; i++) rows.add(byLabel[i]);
            }
            out[k] = rows.stream().mapToInt(Integer::intValue).toArray();
        }
        return finish(out);
    }

    private static void check(int rows, int clients) {
        if (clients < 1) throw new IllegalArgumentException("clients must be at least 1, got " + clients);
        if (clients > rows) throw new IllegalArgumentException(clients + " clients for " + rows + " rows: every client needs a row");
    }

    private static int[][] finish(int[][] parts) {
        for (int k = 0; k < parts.length; k++) {
            if (parts[k].length == 0) {
                throw new IllegalArgumentException("client " + k + " has no rows; use fewer clients or a larger dirichlet alpha");
            }
            Arrays.sort(parts[k]);
        }
        return parts;
    }

    /** Gamma(shape, 1) (Marsaglia and Tsang 2000; for shape < 1, Gamma(shape + 1) U^(1/shape)). */
    static double gamma(double shape, Generator g) {
        if (shape < 1) return gamma(shape + 1, g) * Math.pow(1.0 - g.nextDouble(), 1 / shape);
        double d = shape - 1.0 / 3, c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = g.nextGaussian(), v = 1 + c * x;
            if (v <= 0) continue;
            v = v * v * v;
            double u = 1.0 - g.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
        }
    }
}
