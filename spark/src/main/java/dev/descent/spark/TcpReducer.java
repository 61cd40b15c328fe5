package dev.descent.spark;

import dev.descent.train.GradientReducer;
import dev.descent.train.ShardTree;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link GradientReducer} over a {@link TcpMesh}. The tree adds element by element, so element
 * i of the root depends only on element i of the nodes, and two ways to finish it give the same
 * bits:
 *
 * <ul>
 *   <li>{@link Exchange#ALL_GATHER}: each task sends its tree-node roots to every other task and
 *       finishes the whole {@link ShardTree} itself. One round; each task sends (P - 1) times the
 *       model per step.
 *   <li>{@link Exchange#REDUCE_SCATTER}: the vector is cut into P slices, slice r being elements
 *       {@code [r L / P, (r + 1) L / P)}; each task sends slice r of its nodes to task r, finishes
 *       the tree for its own slice, and the finished slices are all-gathered. Two rounds; each
 *       task sends 2 (P - 1) / P times the model per step, under twice the model whatever P.
 * </ul>
 *
 * Message: per node {@code lo, hi, length} (ints) then the floats, little-endian; a finished
 * slice is the floats alone.
 */
final class TcpReducer implements GradientReducer {
    /** How the tasks finish the tree. */
    enum Exchange {
        ALL_GATHER, REDUCE_SCATTER;

        /**
         * Reduce-scatter from 3 tasks on: at P = 2 both send one model per task, and all-gather
         * does it in one round instead of two; from P = 3 on reduce-scatter sends less
         * (2 (P - 1) / P against P - 1 models).
         */
        static Exchange forParties(int parties) {
            return parties >= 3 ? REDUCE_SCATTER : ALL_GATHER;
        }
    }

    private final TcpMesh mesh;
    private final Exchange exchange;
    private long exchangeNanos, exchanges;

    TcpReducer(TcpMesh mesh, Exchange exchange) {
        this.mesh = mesh;
        this.exchange = exchange;
    }

    @Override public int rank() { return mesh.rank(); }

    @Override public int parties() { return mesh.parties(); }

    @Override
    public float[] allReduce(long step, int shards, List<ShardTree.Node> mine) {
        long start = System.nanoTime();
        try {
            return finish(step, shards, mine);
        } finally {
            exchangeNanos += System.nanoTime() - start;
            exchanges++;
        }
    }

    /**
     * The mean wall time of {@link #allReduce} so far, in milliseconds: encoding, sending,
     * receiving (waiting for the slowest task included) and finishing the tree; NaN before the first.
     */
    double meanExchangeMillis() {
        return exchanges == 0 ? Double.NaN : exchangeNanos / 1e6 / exchanges;
    }

    long exchanges() {
        return exchanges;
    }

    private float[] finish(long step, int shards, List<ShardTree.Node> mine) {
        if (exchange == Exchange.ALL_GATHER) {
            Map<Long, float[]> all = new HashMap<>();
            for (byte[] message : mesh.allGather(step, encode(mine, 0, length(mine)))) decode(message, all);
            return ShardTree.finish(shards, all);
        }
        int parties = mesh.parties(), rank = mesh.rank(), length = length(mine);
        byte[][] toEach = new byte[parties][];
        for (int r = 0; r < parties; r++) toEach[r] = encode(mine, sliceStart(r, parties, length), sliceStart(r + 1, parties, length));
        Map<Long, float[]> slices = new HashMap<>();
        for (byte[] message : mesh.exchange(2 * step, toEach)) decode(message, slices);
        float[] finished = ShardTree.finish(shards, slices);
        float[] root = new float[length];
        byte[][] all = mesh.allGather(2 * step + 1, floats(finished));
        for (int r = 0; r < parties; r++) {
            int start = sliceStart(r, parties, length);
            ByteBuffer b = ByteBuffer.wrap(all[r]).order(ByteOrder.LITTLE_ENDIAN);
            if (b.remaining() != 4 * (sliceStart(r + 1, parties, length) - start)) {
                throw new IllegalStateException("rank " + r + " sent a slice of " + b.remaining() / 4 + " floats at step " + step);
            }
            b.asFloatBuffer().get(root, start, b.remaining() / 4);
        }
        return root;
    }

    /** The first element of slice {@code r} of {@code length} cut into {@code parties} slices. */
    static int sliceStart(int r, int parties, int length) {
        return (int) ((long) r * length / parties);
    }

    private static int length(List<ShardTree.Node> nodes) {
        int length = nodes.getFirst().sum().length;
        for (ShardTree.Node n : nodes) {
            if (n.sum().length != length) throw new IllegalArgumentException("tree nodes of different lengths: " + length + " and " + n.sum().length);
        }
        return length;
    }

    /** Elements {@code [from, to)} of each node. */
    static byte[] encode(List<ShardTree.Node> nodes, int from, int to) {
        int n = to - from;
        ByteBuffer b = ByteBuffer.allocate(nodes.size() * (12 + 4 * n)).order(ByteOrder.LITTLE_ENDIAN);
        for (ShardTree.Node node : nodes) {
            b.putInt(node.lo()).putInt(node.hi()).putInt(n);
            b.asFloatBuffer().put(node.sum(), from, n);
            b.position(b.position() + 4 * n);
        }
        return b.array();
    }

    static void decode(byte[] message, Map<Long, float[]> into) {
        ByteBuffer b = ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            int lo = b.getInt(), hi = b.getInt();
            float[] sum = new float[b.getInt()];
            b.asFloatBuffer().get(sum);
            b.position(b.position() + 4 * sum.length);
            into.put(ShardTree.key(lo, hi), new ShardTree.Node(lo, hi, sum).sum());
        }
    }

    private static byte[] floats(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    @Override
    public void close() {
        mesh.close();
    }
}
