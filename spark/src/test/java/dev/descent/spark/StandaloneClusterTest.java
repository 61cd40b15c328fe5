package dev.descent.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.fed.ClientRunner;
import dev.descent.fed.FederatedAveraging;
import dev.descent.nn.Module;
import dev.descent.train.Callback;
import dev.descent.train.Trainer;
import dev.descent.train.TrainingEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.Success$;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-parallel and federated training on a real standalone cluster (a Master and two Workers in
 * their own JVMs, executors in theirs): the same bits as in-process, and the same final weights
 * when an executor is killed in the middle of the run (a data-parallel run re-runs its barrier
 * stage from the last checkpoint; a federated round's lost client tasks are re-run by Spark).
 */
class StandaloneClusterTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path tmp; // a failed run keeps the daemons' and executors' logs

    private static final int SHARDS = 4, EPOCHS = 25;

    /** A run long enough to kill an executor in its middle: 100 steps, 30 ms each at least. */
    private static Trainer slowTrainer(Module m) {
        Callback slow = (event, control) -> {
            if (event instanceof TrainingEvent.Step) {
                try {
                    Thread.sleep(30);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        return Fixtures.trainer(m, SHARDS).epochs(EPOCHS).callbacks(slow);
    }

    private static HashMap<String, float[]> inProcess(int epochs) {
        Module m = Fixtures.model();
        Fixtures.trainer(m, SHARDS).epochs(epochs).fit(Fixtures.data());
        return Fixtures.state(m);
    }

    private static void assertSame(Map<String, float[]> expected, List<HashMap<String, float[]>> replicas, String what) {
        for (HashMap<String, float[]> r : replicas) {
            assertEquals(expected.keySet(), r.keySet());
            for (String k : expected.keySet()) assertArrayEquals(expected.get(k), r.get(k), what + ": " + k);
        }
    }

    private static final int ROUNDS = 6;

    /** Counts tasks that ended other than successfully (a lost executor's tasks, say). */
    private static final class FailedTasks extends SparkListener {
        final AtomicInteger count = new AtomicInteger();

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            if (!(end.reason() instanceof Success$)) count.incrementAndGet();
        }
    }

    @Test
    void sameBitsOnAClusterAndAfterAnExecutorIsKilled() throws Exception {
        List<FederatedAveraging.Round> reference = new ArrayList<>();
        float[] fedInProcess = Fixtures.federated(ClientRunner.local(), Fixtures.clients(0), ROUNDS, reference);
        try (StandaloneCluster cluster = StandaloneCluster.start(tmp.resolve("spark-home"), 2);
             JavaSparkContext sc = new JavaSparkContext(SparkSessions.conf(cluster.url, "descent-cluster-test")
                     .set("spark.executor.extraClassPath", cluster.classDirectories)
                     .set("spark.executor.memory", "512m")
                     .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1"))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (sc.sc().getExecutorMemoryStatus().size() < 3 && System.nanoTime() < deadline) Thread.sleep(200);
            assertEquals(3, sc.sc().getExecutorMemoryStatus().size(), "two executors and the driver");

            List<HashMap<String, float[]>> plain = SparkDataParallel.run(sc, 2, (reducer, attempt) -> {
                Module m = Fixtures.model();
                Fixtures.trainer(m, SHARDS).reducer(reducer).fit(Fixtures.data());
                return Fixtures.state(m);
            });
            assertSame(inProcess(2), plain, "2 executors");

            List<FederatedAveraging.Round> rounds = new ArrayList<>();
            assertArrayEquals(fedInProcess, Fixtures.federated(new SparkClients(sc), Fixtures.clients(0), ROUNDS, rounds),
                    "federated rounds whose clients ran on the two executors");
            for (int r = 0; r < ROUNDS; r++) assertEquals(reference.get(r).drift(), rounds.get(r).drift(), 0.0, "drift of round " + r);

            String checkpoint = tmp.resolve("checkpoint.safetensors").toString();
            ReplicaCheckpoints checkpoints = new ReplicaCheckpoints(checkpoint, 10);
            CompletableFuture<List<HashMap<String, float[]>>> run = CompletableFuture.supplyAsync(() ->
                    SparkDataParallel.run(sc, 2, (reducer, attempt) -> {
                        Module m = Fixtures.model();
                        checkpoints.attach(slowTrainer(m).reducer(reducer), reducer, attempt).fit(Fixtures.data());
                        HashMap<String, float[]> state = Fixtures.state(m);
                        state.put("attempt", new float[] {attempt});
                        return state;
                    }));
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(Path.of(checkpoint)) && System.nanoTime() < deadline && !run.isDone()) Thread.sleep(50);
            assertTrue(Files.exists(Path.of(checkpoint)) && !run.isDone(), "the run wrote a checkpoint and is still going");
            ProcessHandle executor = cluster.executorOf(0).orElseThrow();
            assertTrue(executor.destroyForcibly(), "killed executor " + executor.pid());
            List<HashMap<String, float[]>> survived = run.get(180, TimeUnit.SECONDS);
            for (HashMap<String, float[]> r : survived) assertTrue(r.remove("attempt")[0] >= 1, "Spark re-ran the stage");
            assertSame(inProcess(EPOCHS), survived, "after a killed executor");

            // Federated: kill the other worker's executor while a round's clients run (each client pauses 800 ms).
            FailedTasks failed = new FailedTasks();
            sc.sc().addSparkListener(failed);
            List<FederatedAveraging.Round> seen = Collections.synchronizedList(new ArrayList<>());
            CompletableFuture<float[]> fed = CompletableFuture.supplyAsync(() -> {
                try {
                    return Fixtures.federated(new SparkClients(sc), Fixtures.clients(800), ROUNDS, seen);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((seen.isEmpty() || sc.statusTracker().getActiveStageIds().length == 0) && System.nanoTime() < deadline && !fed.isDone()) {
                Thread.sleep(20);
            }
            assertTrue(!fed.isDone() && sc.statusTracker().getActiveStageIds().length > 0, "a round after the first is running");
            ProcessHandle other = cluster.executorOf(1).orElseThrow();
            assertTrue(other.destroyForcibly(), "killed executor " + other.pid());
            assertArrayEquals(fedInProcess, fed.get(180, TimeUnit.SECONDS), "federated rounds after a killed executor");
            assertTrue(failed.count.get() >= 1, "the killed executor was running a client task, which Spark ran again");
        }
    }
}
