package dev.descent.fed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.data.Csv;
import dev.descent.data.DataLoader;
import dev.descent.data.Tabular;
import dev.descent.data.TensorDataset;
import dev.descent.loss.Losses;
import dev.descent.nn.Activations;
import dev.descent.nn.Linear;
import dev.descent.nn.Module;
import dev.descent.nn.Sequential;
import dev.descent.optim.Optimizers;
import dev.descent.tensor.Generator;
import dev.descent.train.Trainer;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** FedAvg's invariants: one client is one Trainer run, full-batch IID FedAvg is centralized GD, engines do not matter. */
class FederatedAveragingTest {
    static final TensorDataset DIGITS;

    static {
        try (var in = FederatedAveragingTest.class.getResourceAsStream("/data/digits.csv")) {
            var all = Tabular.classification(Csv.read(new InputStreamReader(in, StandardCharsets.UTF_8), "digits.csv"), "digit").data();
            int[] first = new int[480];
            for (int i = 0; i < first.length; i++) first[i] = i;
            DIGITS = new TensorDataset(all.features().div(16.0), all.targets()).subset(first);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    static Module model() {
        Generator g = Generator.seeded(5);
        return Sequential.of(Linear.of(64, 16, g), Activations.tanh(), Linear.of(16, 10, g));
    }

    /** Client training on a fixed partition of DIGITS, with a fresh model each time (as a remote task would). */
    static ClientTraining training(int[][] parts, int epochs, int batch, double lr, double mu) {
        return (round, client, global) -> LocalTraining.run(round, client, global, model(), Losses.crossEntropy(), Optimizers.sgd(lr),
                DIGITS.subset(parts[client]), epochs, batch, 11, mu);
    }

    private static float[] run(int clients, double fraction, int rounds, ClientTraining t, ClientRunner runner, List<FederatedAveraging.Round> log)
            throws Exception {
        return new FederatedAveraging(clients, fraction, 3, ServerOptimizer.fedAvg())
                .run(ModelVector.of(model()), rounds, t, runner, g -> Map.of(), log::add);
    }

    @Test
    void oneClientOneRoundIsOneTrainerRun() throws Exception {
        int[][] parts = {allRows()};
        float[] fed = run(1, 1.0, 1, training(parts, 2, 32, 0.1, 0), ClientRunner.local(), new ArrayList<>());
        Module m = model();
        long key = (11L * 0x9E3779B97F4A7C15L + 0) * 0x9E3779B97F4A7C15L + 0; // (seed, round, client)
        Trainer.of(m, Losses.crossEntropy(), Optimizers.sgd(0.1)).epochs(2).batchSize(32).seed(key).fit(DIGITS);
        assertArrayEquals(ModelVector.of(m), fed);
    }

    @Test
    void fullBatchGradientDescentOnIidClientsIsCentralizedGradientDescent() throws Exception {
        int[][] parts = ClientPartition.iid(DIGITS.size(), 4, Generator.seeded(1)); // 4 x 120 rows
        float[] fed = run(4, 1.0, 1, training(parts, 1, DataLoader.FULL, 0.5, 0), ClientRunner.local(), new ArrayList<>());
        Module m = model();
        Trainer.of(m, Losses.crossEntropy(), Optimizers.sgd(0.5)).epochs(1).batchSize(DataLoader.FULL).fit(DIGITS);
        float[] central = ModelVector.of(m);
        double worst = 0;
        for (int i = 0; i < fed.length; i++) worst = Math.max(worst, Math.abs(fed[i] - central[i]));
        // the mean of 4 client gradients vs one full-batch gradient: the same number summed in another order (float rounding)
        assertTrue(worst < 1e-6, "max difference " + worst);
    }

    @Test
    void theAverageDoesNotDependOnTheEngine() throws Exception {
        int[][] parts = ClientPartition.dirichlet(DIGITS.classIndices(), 10, 6, 0.5, Generator.seeded(2));
        ClientTraining t = training(parts, 1, 16, 0.1, 0);
        List<FederatedAveraging.Round> log = new ArrayList<>();
        float[] reference = run(6, 0.5, 3, t, ClientRunner.local(), log);
        ClientRunner reversed = (r, ids, g, tr) -> {
            List<ClientUpdate> u = new ArrayList<>(ClientRunner.local().run(r, ids, g, tr));
            Collections.reverse(u);
            return u;
        };
        ClientRunner threads = (r, ids, g, tr) -> {
            ExecutorService pool = Executors.newFixedThreadPool(ids.length);
            try {
                List<Future<ClientUpdate>> fs = new ArrayList<>();
                for (int c : ids) fs.add(pool.submit(() -> tr.train(r, c, g)));
                List<ClientUpdate> out = new ArrayList<>();
                for (int i = fs.size() - 1; i >= 0; i--) out.add(fs.get(i).get());
                return out;
            } finally {
                pool.shutdownNow();
            }
        };
        assertArrayEquals(reference, run(6, 0.5, 3, t, reversed, new ArrayList<>()));
        assertArrayEquals(reference, run(6, 0.5, 3, t, threads, new ArrayList<>()));
        assertEquals(3, log.size());
        for (FederatedAveraging.Round r : log) assertEquals(3, r.clients().length, "ceil(0.5 x 6) clients per round");
    }

    @Test
    void fedProxKeepsClientsCloserToTheGlobalModel() throws Exception {
        int[][] parts = ClientPartition.shards(DIGITS.classIndices(), 4, 2, Generator.seeded(4));
        List<FederatedAveraging.Round> plain = new ArrayList<>(), prox = new ArrayList<>();
        run(4, 1.0, 1, training(parts, 3, 16, 0.2, 0), ClientRunner.local(), plain);
        run(4, 1.0, 1, training(parts, 3, 16, 0.2, 1.0), ClientRunner.local(), prox);
        double d0 = plain.getFirst().drift(), d1 = prox.getFirst().drift();
        // mu = 1 adds mu (w - w_r) to every gradient: after 3 epochs the clients have moved less
        assertTrue(d1 < 0.95 * d0, "drift with FedProx " + d1 + " vs FedAvg " + d0);
    }

    @Test
    void serverOptimizersFollowReddiEtAl() {
        float[] w = {0f, 1f}, a = {1f, 0.5f};
        ServerOptimizer adam = ServerOptimizer.fedAdam(0.1, 0.9, 0.99, 1e-3);
        float[] next = adam.step(w, a);
        for (int i = 0; i < 2; i++) {
            // the moments are kept in float32 (as Flower keeps them), the step computed in double from them
            double delta = (double) a[i] - w[i], m = (float) (0.1 * delta), v = (float) (0.01 * delta * delta);
            assertEquals((float) (w[i] + 0.1 * m / (Math.sqrt(v) + 1e-3)), next[i]);
        }
        ServerOptimizer momentum = ServerOptimizer.fedAvgM(1.0, 0.5);
        float[] s1 = momentum.step(w, a), s2 = momentum.step(s1, a);
        // second step: v = 0.5 (a - w) + (a - s1)
        for (int i = 0; i < 2; i++) assertEquals((float) (s1[i] + (0.5 * ((double) a[i] - w[i]) + ((double) a[i] - s1[i]))), s2[i]);
        assertArrayEquals(a, ServerOptimizer.fedAvg().step(w, a));
    }

    @Test
    void aServerOptimizersStateCarriesOverExactly() {
        for (var make : List.<java.util.function.Supplier<ServerOptimizer>>of(() -> ServerOptimizer.fedAdam(0.1, 0.9, 0.99, 1e-3),
                () -> ServerOptimizer.fedAvgM(0.7, 0.9))) {
            float[] w = {0.3f, -1.2f, 2f}, a1 = {0.1f, -1f, 2.5f}, a2 = {0.2f, -0.7f, 2.2f}, a3 = {0f, -0.9f, 2.4f};
            ServerOptimizer straight = make.get();
            float[] want = straight.step(straight.step(straight.step(w, a1), a2), a3);
            ServerOptimizer first = make.get();
            float[] w1 = first.step(w, a1);
            ServerOptimizer resumed = make.get();
            resumed.restore(first.state());
            assertArrayEquals(want, resumed.step(resumed.step(w1, a2), a3), "three steps, or one, the state carried over, and two");
        }
        assertTrue(ServerOptimizer.fedAvg().state().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> ServerOptimizer.fedAvgM(1, 0.9).restore(java.util.Map.of("m", new float[2], "v", new float[2])));
    }

    @Test
    void partitionsCoverEveryRowOnceAndSkewAsAsked() {
        int[] labels = DIGITS.classIndices();
        for (int[][] parts : List.of(ClientPartition.iid(labels.length, 7, Generator.seeded(1)),
                ClientPartition.dirichlet(labels, 10, 7, 0.3, Generator.seeded(1)), ClientPartition.shards(labels, 7, 2, Generator.seeded(1)))) {
            Set<Integer> seen = new HashSet<>();
            for (int[] p : parts) for (int i : p) assertTrue(seen.add(i), "row " + i + " twice");
            assertEquals(labels.length, seen.size());
        }
        assertTrue(classesPerClient(ClientPartition.dirichlet(labels, 10, 7, 0.1, Generator.seeded(1)), labels)
                < classesPerClient(ClientPartition.dirichlet(labels, 10, 7, 100, Generator.seeded(1)), labels), "small alpha skews labels");
        for (int[] p : ClientPartition.shards(labels, 7, 2, Generator.seeded(1))) {
            assertTrue(classes(p, labels) <= 4, "2 label-sorted shards span at most 4 labels");
        }
        assertArrayEquals(ClientPartition.dirichlet(labels, 10, 7, 0.3, Generator.seeded(9))[3],
                ClientPartition.dirichlet(labels, 10, 7, 0.3, Generator.seeded(9))[3], "seeded");
        var e = assertThrows(IllegalArgumentException.class, () -> ClientPartition.dirichlet(labels, 10, 200, 0.01, Generator.seeded(1)));
        assertTrue(e.getMessage().contains("has no rows"), e.getMessage());
    }

    private static double classesPerClient(int[][] parts, int[] labels) {
        double sum = 0;
        for (int[] p : parts) sum += classes(p, labels);
        return sum / parts.length;
    }

    private static int classes(int[] rows, int[] labels) {
        Set<Integer> s = new HashSet<>();
        for (int i : rows) s.add(labels[i]);
        return s.size();
    }

    @Test
    void samplingIsSeededByRound() {
        int[] a = ClientSampler.sample(7, 3, 20, 0.25), b = ClientSampler.sample(7, 3, 20, 0.25);
        assertArrayEquals(a, b);
        assertEquals(5, a.length);
        for (int i = 1; i < a.length; i++) assertTrue(a[i] > a[i - 1], "ascending and distinct");
        boolean differs = false;
        for (int r = 4; r < 10; r++) differs |= !java.util.Arrays.equals(a, ClientSampler.sample(7, r, 20, 0.25));
        assertTrue(differs, "other rounds sample other clients");
        assertNotEquals(0, ClientSampler.sample(7, 0, 3, 0.01).length);
    }

    private static int[] allRows() {
        int[] all = new int[DIGITS.size()];
        for (int i = 0; i < all.length; i++) all[i] = i;
        return all;
    }
}
