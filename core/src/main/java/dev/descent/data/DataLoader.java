package dev.descent.data;

import dev.descent.tensor.Generator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Cuts a {@link TensorDataset} into mini-batches, one epoch at a time, like PyTorch's
 * DataLoader: a batch size (or the whole set, for full-batch gradient descent), optional
 * shuffling, optional dropping of a last incomplete batch, and a background thread that gathers
 * the next batch while the caller trains on the current one, when batches are large enough for
 * that to pay ({@link #PREFETCH_MIN_VALUES}).
 *
 * <p>The order of epoch e is a pure function of (seed, e): the permutation comes from
 * {@code Generator.seeded(seed ^ (0x9E3779B97F4A7C15L * (e + 1)))}, so a run resumed at epoch e
 * sees exactly the batches the uninterrupted run saw, with no generator state to save.
 */
public final class DataLoader {
    /** Batch size meaning "the whole data set in one batch". */
    public static final int FULL = -1;

    private final TensorDataset data;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final long seed;
    private final boolean prefetch;

    private DataLoader(TensorDataset data, int batchSize, boolean shuffle, boolean dropLast, long seed, boolean prefetch) {
        if (batchSize != FULL && batchSize < 1) throw new IllegalArgumentException("batch_size must be positive or 'full', got " + batchSize);
        this.data = data;
        this.batchSize = batchSize == FULL ? Math.max(1, data.size()) : batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.seed = seed;
        this.prefetch = prefetch;
    }

    /** A loader; {@code batchSize} may be {@link #FULL}. Prefetches on a background thread. */
    public static DataLoader of(TensorDataset data, int batchSize, boolean shuffle, boolean dropLast, long seed) {
        return new DataLoader(data, batchSize, shuffle, dropLast, seed, true);
    }

    /** The same loader without the background thread (for tiny data, where a thread costs more than it saves). */
    public DataLoader withoutPrefetch() {
        return new DataLoader(data, batchSize, shuffle, dropLast, seed, false);
    }

    public int batchSize() {
        return batchSize;
    }

    /** Number of batches per epoch. */
    public int batchesPerEpoch() {
        int n = data.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** Row order of the given epoch. */
    public int[] order(int epoch) {
        int n = data.size();
        if (!shuffle) {
            int[] order = new int[n];
            for (int i = 0; i < n; i++) order[i] = i;
            return order;
        }
        return Generator.seeded(seed ^ (0x9E3779B97F4A7C15L * (epoch + 1))).permutation(n);
    }

    /**
     * The batches of one epoch, in order. A caller that may stop before the last batch closes the
     * iterator (try-with-resources), so the prefetching thread ends instead of waiting forever
     * with its batches in memory.
     */
    public Epoch epoch(int epoch) {
        int[] order = order(epoch);
        int count = batchesPerEpoch();
        boolean ahead = prefetches();
        return () -> ahead ? new Prefetching(order, count) : new Direct(order, count);
    }

    /**
     * The fewest values (features and targets) a batch must gather for the background thread to
     * pay: handing a batch over between threads (a park and an unpark, tens of microseconds when
     * the other thread must be woken) and starting the thread each epoch cost more than gathering
     * a small batch on the caller's thread. 16,384 floats (64 KiB, a few microseconds of copying)
     * is where the copy starts to outweigh the hand-over. A logistic regression's batch of 32 rows
     * of 3 values is gathered in well under a microsecond, and with a thread its 32-step epochs
     * spent more time handing batches over and starting the thread than training; a batch of 128
     * Fashion-MNIST images (100,480 values) is still prefetched. Either way the batches are the same.
     */
    static final int PREFETCH_MIN_VALUES = 16_384;

    /** The values one full batch gathers: its rows of features and of targets. */
    private long batchValues() {
        int n = Math.max(1, data.size());
        long perRow = (long) data.features().numel() / n + (long) data.targets().numel() / n;
        return perRow * batchSize;
    }

    /** Whether this loader's epochs gather their batches on a background thread (for tests). */
    boolean prefetches() {
        return prefetch && batchesPerEpoch() > 1 && batchValues() >= PREFETCH_MIN_VALUES;
    }

    /** The batches of one epoch; each iteration is independent. */
    @FunctionalInterface
    public interface Epoch extends Iterable<Batch> {
        @Override
        Batches iterator();
    }

    /** An iteration over an epoch's batches that releases its background thread when closed. */
    public interface Batches extends Iterator<Batch>, AutoCloseable {
        @Override
        void close();
    }

    private Batch batch(int[] order, int b) {
        int from = b * batchSize, to = Math.min(order.length, from + batchSize);
        int[] rows = java.util.Arrays.copyOfRange(order, from, to);
        TensorDataset part = data.subset(rows);
        return new Batch(part.features(), part.targets(), rows);
    }

    private final class Direct implements Batches {
        private final int[] order;
        private final int count;
        private int next;

        Direct(int[] order, int count) {
            this.order = order;
            this.count = count;
        }

        @Override
        public boolean hasNext() {
            return next < count;
        }

        @Override
        public Batch next() {
            if (!hasNext()) throw new NoSuchElementException();
            return batch(order, next++);
        }

        @Override
        public void close() {}
    }

    /** Gathers up to two batches ahead on a daemon thread; errors surface on the caller's thread. */
    private final class Prefetching implements Batches {
        private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(2);
        private final int count;
        private final Thread producer;
        private int taken;

        Prefetching(int[] order, int count) {
            this.count = count;
            producer = Thread.ofPlatform().daemon().name("descent-loader").start(() -> {
                try {
                    for (int b = 0; b < count; b++) queue.put(batch(order, b));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    queue.offer(e);
                }
            });
        }

        /** Interrupts a producer blocked on a full queue; it then exits, dropping its batches. */
        @Override
        public void close() {
            producer.interrupt();
        }

        @Override
        public boolean hasNext() {
            return taken < count;
        }

        @Override
        public Batch next() {
            if (!hasNext()) throw new NoSuchElementException();
            try {
                Object o = queue.take();
                if (o instanceof RuntimeException e) throw e;
                taken++;
                return (Batch) o;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the next batch", e);
            }
        }
    }
}
