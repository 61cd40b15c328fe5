package dev.descent.train;

import java.util.List;

/**
 * One participant of a sharded step's reduction (see {@link Trainer#shards}): the participant
 * computes the leaves of its own contiguous range of shards ({@link #range}), hands the roots of
 * the tree nodes that cover it to {@link #allReduce}, and gets back the root of the whole
 * {@link ShardTree}, the same array on every participant. Every participant then applies the same
 * update to its own copy of the model, so the copies stay identical without weights being sent
 * (the data-parallel scheme of PyTorch's DDP and Horovod; here the sum order is fixed by the tree,
 * not by the order of arrival, so the result does not depend on how many participants there are).
 *
 * <p>Engines: {@link InProcessReducer} (threads of one JVM, the reference) and, in the
 * {@code descent-spark} module, the tasks of a Spark barrier stage over TCP.
 */
public interface GradientReducer extends AutoCloseable {
    /** This participant's index, 0 to {@link #parties()} - 1. */
    int rank();

    /** How many participants share each step. */
    int parties();

    /**
     * The shards {@code [first, end)} that participant {@code rank} of {@code parties} computes
     * out of {@code shards}: {@code first = floor(rank S / P)}. Every shard belongs to exactly one
     * participant; with P dividing S the ranges are equal and are nodes of the tree.
     */
    static int[] range(int rank, int parties, int shards) {
        if (parties < 1 || rank < 0 || rank >= parties) throw new IllegalArgumentException("rank " + rank + " of " + parties + " parties");
        if (parties > shards) {
            throw new IllegalArgumentException(parties + " participants for " + shards + " shards: each participant needs at least one shard");
        }
        return new int[] {(int) ((long) rank * shards / parties), (int) ((long) (rank + 1) * shards / parties)};
    }

    /**
     * Exchanges this participant's node roots for everyone's and returns the root of the whole
     * tree over {@code shards} (the sum, not yet divided by S). Blocks until every participant
     * has called it for the same step.
     *
     * @param step the optimizer step the roots belong to (a check that participants agree)
     */
    float[] allReduce(long step, int shards, List<ShardTree.Node> mine);

    /** Leaves the group; participants blocked in {@link #allReduce} then fail instead of waiting forever. */
    @Override
    void close();

    /** A group of one, owning every shard: the in-process reference of {@link Trainer#shards}. */
    static GradientReducer single() {
        return InProcessReducer.group(1).get(0);
    }
}
