package dev.descent.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.nn.Module;
import dev.descent.train.Callback;
import dev.descent.train.Trainer;
import dev.descent.train.TrainingEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-parallel training on a real standalone cluster (a Master and two Workers in their own JVMs,
 * executors in theirs): the same bits as in-process, and the same final weights when an executor
 * is killed in the middle of the run.
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

    @Test
    void sameBitsOnAClusterAndAfterAnExecutorIsKilled() throws Exception {
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
        }
    }
}
