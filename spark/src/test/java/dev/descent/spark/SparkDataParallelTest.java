package dev.descent.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.nn.Module;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The barrier back end in local[2]: every task count and shard count gives the in-process bits. */
class SparkDataParallelTest {
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = SparkSessions.start("local[2]", "descent-test");
    }

    @AfterAll
    static void stop() {
        if (sc != null) sc.close();
    }

    private static HashMap<String, float[]> inProcess(int shards) {
        Module m = Fixtures.model();
        Fixtures.trainer(m, shards).fit(Fixtures.data());
        return Fixtures.state(m);
    }

    @Test
    void everyTaskEndsWithTheInProcessBits() {
        for (int shards : new int[] {1, 2, 4, 8}) {
            Map<String, float[]> reference = inProcess(shards);
            for (int tasks = 1; tasks <= Math.min(2, shards); tasks++) {
                List<HashMap<String, float[]>> replicas = SparkDataParallel.run(sc, tasks, (reducer, attempt) -> {
                    Module m = Fixtures.model();
                    Fixtures.trainer(m, shards).reducer(reducer).fit(Fixtures.data());
                    return Fixtures.state(m);
                });
                assertEquals(tasks, replicas.size());
                for (HashMap<String, float[]> r : replicas) {
                    assertEquals(reference.keySet(), r.keySet());
                    for (String k : reference.keySet()) assertArrayEquals(reference.get(k), r.get(k), shards + " shards, " + tasks + " tasks: " + k);
                }
            }
        }
    }

    /** Two tasks reduce-scattering by parameter slices (the exchange of 3 tasks and more) end as all-gathering ones do. */
    @Test
    void reduceScatterGivesTheInProcessBits() {
        for (int shards : new int[] {2, 8}) {
            Map<String, float[]> reference = inProcess(shards);
            List<HashMap<String, float[]>> replicas = SparkDataParallel.run(sc, 2, TcpReducer.Exchange.REDUCE_SCATTER, (reducer, attempt) -> {
                Module m = Fixtures.model();
                Fixtures.trainer(m, shards).reducer(reducer).fit(Fixtures.data());
                return Fixtures.state(m);
            });
            for (HashMap<String, float[]> r : replicas) {
                for (String k : reference.keySet()) assertArrayEquals(reference.get(k), r.get(k), shards + " shards, reduce-scatter: " + k);
            }
        }
    }

    @Test
    void moreTasksThanSlotsIsRefusedInOneLine() {
        var e = assertThrows(IllegalArgumentException.class, () -> SparkDataParallel.run(sc, 3, (reducer, attempt) -> 0));
        assertEquals("3 tasks, but Spark (local[2]) offers 2 task slots: a barrier stage runs all its tasks at once", e.getMessage());
        assertTrue(sc.sc().isStopped() == false, "the context survives the refusal");
    }
}
