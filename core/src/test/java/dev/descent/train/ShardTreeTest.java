package dev.descent.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.tensor.Generator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The reduction tree: covers, finishing from any split, and the in-process reducer for 1 to 8 participants. */
class ShardTreeTest {
    private static float[][] leaves(int shards, int length) {
        Generator g = Generator.seeded(11);
        float[][] out = new float[shards][length];
        // values of mixed magnitude, so that a different summation order changes the bits
        for (float[] l : out) for (int i = 0; i < length; i++) l[i] = (float) (g.nextGaussian() * Math.pow(10, g.nextInt(7) - 3));
        return out;
    }

    @Test
    void coverIsMaximalAlignedNodes() {
        assertEquals("[0,8]", show(ShardTree.cover(0, 8)));
        assertEquals("[0,4][4,6]", show(ShardTree.cover(0, 6)));
        assertEquals("[3,4][4,6]", show(ShardTree.cover(3, 6)));
        assertEquals("[5,6][6,8]", show(ShardTree.cover(5, 8)));
        assertEquals("[1,2][2,4][4,5]", show(ShardTree.cover(1, 5)));
    }

    private static String show(List<int[]> ranges) {
        StringBuilder b = new StringBuilder();
        for (int[] r : ranges) b.append('[').append(r[0]).append(',').append(r[1]).append(']');
        return b.toString();
    }

    @Test
    void finishingFromAnySplitGivesTheTreeItself() {
        int shards = 8;
        float[][] leaves = leaves(shards, 257);
        float[] whole = ShardTree.subtree(0, shards, s -> leaves[s]);
        // the tree is pairwise: ((0+1)+(2+3))+((4+5)+(6+7)), which a left-to-right sum is not
        float[] sequential = new float[257];
        for (float[] l : leaves) for (int i = 0; i < 257; i++) sequential[i] += l[i];
        assertNotEquals(java.util.Arrays.toString(whole), java.util.Arrays.toString(sequential), "the test data must tell the orders apart");
        for (int parties = 1; parties <= shards; parties++) {
            Map<Long, float[]> nodes = new HashMap<>();
            for (int r = 0; r < parties; r++) {
                int[] range = GradientReducer.range(r, parties, shards);
                for (ShardTree.Node n : ShardTree.nodes(range[0], range[1], s -> leaves[s])) nodes.put(ShardTree.key(n.lo(), n.hi()), n.sum());
            }
            assertArrayEquals(whole, ShardTree.finish(shards, nodes), parties + " parties");
        }
    }

    @Test
    void inProcessGroupsReturnTheSameRootToEveryParticipant() throws Exception {
        int shards = 8;
        float[][] leaves = leaves(shards, 1000);
        float[] whole = ShardTree.subtree(0, shards, s -> leaves[s]);
        for (int parties : new int[] {1, 2, 3, 4, 8}) {
            List<GradientReducer> group = InProcessReducer.group(parties);
            ExecutorService pool = Executors.newFixedThreadPool(parties);
            try {
                List<Future<float[][]>> results = new ArrayList<>();
                for (GradientReducer r : group) {
                    results.add(pool.submit(() -> {
                        int[] range = GradientReducer.range(r.rank(), r.parties(), shards);
                        float[][] roots = new float[3][];
                        for (int step = 0; step < 3; step++) roots[step] = r.allReduce(step, shards, ShardTree.nodes(range[0], range[1], s -> leaves[s]));
                        return roots;
                    }));
                }
                for (Future<float[][]> f : results) for (float[] root : f.get()) assertArrayEquals(whole, root, parties + " parties");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aParticipantLeavingUnblocksTheOthers() throws Exception {
        List<GradientReducer> group = InProcessReducer.group(2);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<float[]> waiting = pool.submit(() -> group.get(0).allReduce(0, 2, ShardTree.nodes(0, 1, s -> new float[1])));
            Thread.sleep(100);
            group.get(1).close();
            var e = assertThrows(java.util.concurrent.ExecutionException.class, waiting::get);
            assertTrue(e.getCause().getMessage().contains("failed or left"), e.getCause().getMessage());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rejectsWhatIsNotATreeNode() {
        assertThrows(IllegalArgumentException.class, () -> new ShardTree.Node(1, 3, new float[1]));
        assertThrows(IllegalArgumentException.class, () -> GradientReducer.range(0, 4, 2));
        assertTrue(ShardTree.isValidCount(1) && ShardTree.isValidCount(64));
        assertTrue(!ShardTree.isValidCount(0) && !ShardTree.isValidCount(6));
    }
}
