package dev.descent.train;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link GradientReducer} whose participants are threads of one JVM, each training its own copy
 * of the model: they all-gather their node roots through shared memory and each finishes the
 * {@link ShardTree} itself. It is the reference that every distributed engine must match bit for
 * bit, and the way to run a sharded step's shards in parallel on one machine.
 *
 * <pre>{@code
 * List<GradientReducer> group = InProcessReducer.group(2);
 * // thread r: Trainer.of(replica(r), loss, spec).shards(8).reducer(group.get(r)).fit(train)
 * }</pre>
 */
public final class InProcessReducer implements GradientReducer {
    /** What the participants of one group share: a slot per rank and a barrier that closing breaks for good. */
    private static final class Exchange {
        final List<List<ShardTree.Node>> slots;
        final long[] steps;
        private int arrived;
        private long generation;
        private boolean closed;

        Exchange(int parties) {
            slots = new ArrayList<>();
            for (int i = 0; i < parties; i++) slots.add(null);
            steps = new long[parties];
        }

        /** Waits until every participant has arrived; fails once any participant has closed. */
        synchronized void await() {
            if (closed) throw new IllegalStateException("another participant of the sharded step failed or left");
            long gen = generation;
            if (++arrived == slots.size()) {
                arrived = 0;
                generation++;
                notifyAll();
                return;
            }
            try {
                while (gen == generation && !closed) wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the other participants", e);
            }
            if (gen == generation) throw new IllegalStateException("another participant of the sharded step failed or left");
        }

        synchronized void close() {
            closed = true;
            notifyAll();
        }
    }

    private final Exchange exchange;
    private final int rank;

    private InProcessReducer(Exchange exchange, int rank) {
        this.exchange = exchange;
        this.rank = rank;
    }

    /** The participants of a new group of {@code parties} threads, by rank. */
    public static List<GradientReducer> group(int parties) {
        if (parties < 1) throw new IllegalArgumentException("a reducer group needs at least one participant, got " + parties);
        Exchange e = new Exchange(parties);
        List<GradientReducer> out = new ArrayList<>();
        for (int r = 0; r < parties; r++) out.add(new InProcessReducer(e, r));
        return List.copyOf(out);
    }

    @Override public int rank() { return rank; }

    @Override public int parties() { return exchange.slots.size(); }

    @Override
    public float[] allReduce(long step, int shards, List<ShardTree.Node> mine) {
        int parties = parties();
        if (parties == 1) return ShardTree.finish(shards, keyed(mine, new HashMap<>()));
        exchange.slots.set(rank, List.copyOf(mine));
        exchange.steps[rank] = step;
        await(); // every slot is written
        Map<Long, float[]> all = new HashMap<>();
        for (int r = 0; r < parties; r++) {
            if (exchange.steps[r] != step) {
                throw new IllegalStateException("participant " + r + " is at step " + exchange.steps[r] + ", participant " + rank + " at step " + step);
            }
            keyed(exchange.slots.get(r), all);
        }
        await(); // every participant has read every slot: the next step may overwrite them
        return ShardTree.finish(shards, all);
    }

    private static Map<Long, float[]> keyed(List<ShardTree.Node> nodes, Map<Long, float[]> into) {
        for (ShardTree.Node n : nodes) into.put(ShardTree.key(n.lo(), n.hi()), n.sum());
        return into;
    }

    private void await() {
        exchange.await();
    }

    @Override
    public void close() {
        exchange.close();
    }
}
