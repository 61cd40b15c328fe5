package dev.descent.spark;

import dev.descent.train.GradientReducer;
import dev.descent.train.ShardTree;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link GradientReducer} over a {@link TcpMesh}: each task all-gathers its tree-node roots and
 * finishes the {@link ShardTree} itself, so every task holds the same root and applies the same
 * update. Message: per node {@code lo, hi, length} (ints) then the floats, little-endian.
 *
 * <p>All-gather sends every root to every task: (P - 1) times the model per task and step, fine
 * for the few tasks of a small cluster. For many tasks a reduce-scatter by parameter slice (each
 * task finishing the tree for its slice, then an all-gather of slices) sends about twice the model
 * whatever P; see the README's cost notes.
 */
final class TcpReducer implements GradientReducer {
    private final TcpMesh mesh;

    TcpReducer(TcpMesh mesh) {
        this.mesh = mesh;
    }

    @Override public int rank() { return mesh.rank(); }

    @Override public int parties() { return mesh.parties(); }

    @Override
    public float[] allReduce(long step, int shards, List<ShardTree.Node> mine) {
        Map<Long, float[]> all = new HashMap<>();
        for (byte[] message : mesh.allGather(step, encode(mine))) decode(message, all);
        return ShardTree.finish(shards, all);
    }

    static byte[] encode(List<ShardTree.Node> nodes) {
        int size = 0;
        for (ShardTree.Node n : nodes) size += 12 + 4 * n.sum().length;
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        for (ShardTree.Node n : nodes) {
            b.putInt(n.lo()).putInt(n.hi()).putInt(n.sum().length);
            b.asFloatBuffer().put(n.sum());
            b.position(b.position() + 4 * n.sum().length);
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

    @Override
    public void close() {
        mesh.close();
    }
}
