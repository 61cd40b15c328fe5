package dev.descent.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The fixed pairwise reduction tree over shard index that makes a sharded step's gradient
 * independent of who computed which shard: for S shards (a power of two),
 *
 * <pre>
 * tree(lo, hi) = leaf(lo)                          when hi - lo = 1
 *              = tree(lo, mid) + tree(mid, hi)     otherwise, mid = (lo + hi) / 2
 * </pre>
 *
 * added element by element in float32. Its nodes are the aligned dyadic ranges
 * {@code [k 2^j, (k+1) 2^j)}, so a participant that owns a contiguous range of shards can compute
 * the maximal nodes inside its range ({@link #cover}) and send only those roots; whoever holds the
 * roots of a set of nodes covering {@code [0, S)} finishes the same tree ({@link #finish}) and gets
 * the same bits whatever the split. Float addition is not associative, so the tree, not the
 * placement, defines the result (the rule Horovod and DDP leave to the order of arrival).
 */
public final class ShardTree {
    private ShardTree() {}

    /** A computed node of the tree: the sum of the leaves of shards {@code [lo, hi)}. */
    public record Node(int lo, int hi, float[] sum) {
        public Node {
            if (lo < 0 || hi <= lo) throw new IllegalArgumentException("tree node [" + lo + ", " + hi + ") is empty");
            if (Integer.bitCount(hi - lo) != 1 || lo % (hi - lo) != 0) {
                throw new IllegalArgumentException("[" + lo + ", " + hi + ") is not a node of the shard tree (an aligned power-of-two range)");
            }
        }
    }

    /** Whether {@code s} is a valid shard count: a power of two, at least 1 (so 1/S is exact in float). */
    public static boolean isValidCount(int s) {
        return s >= 1 && Integer.bitCount(s) == 1;
    }

    /**
     * The maximal tree nodes covering {@code [lo, hi)}, in shard order: at most about
     * 2 log2(S) ranges, and one when the range is itself a node.
     */
    public static List<int[]> cover(int lo, int hi) {
        if (lo < 0 || hi < lo) throw new IllegalArgumentException("bad shard range [" + lo + ", " + hi + ")");
        List<int[]> out = new ArrayList<>();
        int at = lo;
        while (at < hi) {
            int size = at == 0 ? Integer.highestOneBit(hi) : Integer.lowestOneBit(at);
            while (at + size > hi) size >>= 1;
            out.add(new int[] {at, at + size});
            at += size;
        }
        return out;
    }

    /**
     * The node {@code [lo, hi)} computed from its leaves, depth first: leaves are asked for in
     * shard order and at most one array per tree level is alive at a time.
     */
    public static float[] subtree(int lo, int hi, IntFunction<float[]> leaf) {
        if (hi - lo == 1) return leaf.apply(lo);
        int mid = (lo + hi) >>> 1;
        float[] left = subtree(lo, mid, leaf);
        float[] right = subtree(mid, hi, leaf);
        return add(left, right);
    }

    /** The nodes covering {@code [lo, hi)} ({@link #cover}), each computed by {@link #subtree}. */
    public static List<Node> nodes(int lo, int hi, IntFunction<float[]> leaf) {
        List<Node> out = new ArrayList<>();
        for (int[] r : cover(lo, hi)) out.add(new Node(r[0], r[1], subtree(r[0], r[1], leaf)));
        return out;
    }

    /**
     * The root {@code tree(0, shards)} from nodes that together cover every shard once (as sent by
     * the participants): a node present is taken as is, a missing one is the sum of its halves.
     *
     * @param nodes the computed nodes, keyed by {@link #key}
     * @throws IllegalArgumentException when some shard is covered by no node
     */
    public static float[] finish(int shards, Map<Long, float[]> nodes) {
        return finish(0, shards, nodes);
    }

    private static float[] finish(int lo, int hi, Map<Long, float[]> nodes) {
        float[] known = nodes.get(key(lo, hi));
        if (known != null) return known;
        if (hi - lo == 1) throw new IllegalArgumentException("no participant sent shard " + lo);
        int mid = (lo + hi) >>> 1;
        return add(finish(lo, mid, nodes), finish(mid, hi, nodes));
    }

    /** The map key of node {@code [lo, hi)}. */
    public static long key(int lo, int hi) {
        return ((long) lo << 32) | (hi & 0xFFFFFFFFL);
    }

    /** left + right element by element, into a new array. */
    static float[] add(float[] left, float[] right) {
        if (left.length != right.length) {
            throw new IllegalArgumentException("tree nodes of different lengths: " + left.length + " and " + right.length);
        }
        float[] out = new float[left.length];
        for (int i = 0; i < out.length; i++) out[i] = left[i] + right[i];
        return out;
    }
}
