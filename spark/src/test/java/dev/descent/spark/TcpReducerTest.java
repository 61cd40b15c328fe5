package dev.descent.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.descent.train.GradientReducer;
import dev.descent.train.ShardTree;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The two ways tasks finish the shard tree over real sockets (loopback, one thread per task):
 * all-gather and reduce-scatter by parameter slices give every task the root of the fixed tree,
 * bit for bit, for P = 1 to 8 tasks over S = 8 shards (P = 3, 5, 6, 7 own ranges that are not tree
 * nodes), for vectors that do not split evenly into P slices and for one shorter than P.
 */
class TcpReducerTest {
    private static final int SHARDS = 8;

    /** Shard s's vector: magnitudes from 1e-4 to 1e4, so that another order of addition shows in the bits. */
    private static float[] leaf(int s, int length) {
        Random r = new Random(1000 + s);
        float[] v = new float[length];
        for (int i = 0; i < length; i++) v[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(9) - 4));
        return v;
    }

    /** Two steps on a fresh mesh of {@code parties} tasks; every task's root of each step. */
    private static List<float[]> reduce(int parties, TcpReducer.Exchange exchange, int length) throws Exception {
        List<ServerSocket> servers = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        for (int r = 0; r < parties; r++) {
            ServerSocket s = TcpMesh.listen("127.0.0.1");
            servers.add(s);
            addresses.add("127.0.0.1:" + s.getLocalPort());
        }
        ExecutorService pool = Executors.newFixedThreadPool(parties);
        try {
            List<Future<List<float[]>>> tasks = new ArrayList<>();
            for (int r = 0; r < parties; r++) {
                int rank = r;
                tasks.add(pool.submit(() -> {
                    try (TcpReducer reducer = new TcpReducer(TcpMesh.connect(rank, addresses, servers.get(rank), 30_000), exchange)) {
                        int[] range = GradientReducer.range(rank, parties, SHARDS);
                        List<float[]> roots = new ArrayList<>();
                        for (long step = 0; step < 2; step++) {
                            roots.add(reducer.allReduce(step, SHARDS, ShardTree.nodes(range[0], range[1], s -> leaf(s, length))));
                        }
                        return roots;
                    }
                }));
            }
            List<float[]> out = new ArrayList<>();
            for (Future<List<float[]>> t : tasks) out.addAll(t.get(60, TimeUnit.SECONDS));
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void allGatherAndReduceScatterGiveTheTreesBits() throws Exception {
        for (int length : new int[] {1001, 5}) {
            float[] tree = ShardTree.subtree(0, SHARDS, s -> leaf(s, length));
            float[] leftToRight = leaf(0, length);
            for (int s = 1; s < SHARDS; s++) {
                float[] next = leaf(s, length);
                for (int i = 0; i < length; i++) leftToRight[i] += next[i];
            }
            if (length > 100) assertFalse(Arrays.equals(tree, leftToRight), "the order of addition shows in these vectors' bits");
            for (TcpReducer.Exchange exchange : TcpReducer.Exchange.values()) {
                for (int parties = 1; parties <= SHARDS; parties++) {
                    for (float[] root : reduce(parties, exchange, length)) {
                        assertArrayEquals(tree, root, exchange + ", " + parties + " tasks, " + length + " floats");
                    }
                }
            }
        }
    }
}
