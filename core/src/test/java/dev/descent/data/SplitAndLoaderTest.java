package dev.descent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.tensor.Generator;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SplitAndLoaderTest {
    @Test
    void stratifiedSplitKeepsClassSharesAndCoversEveryRowOnce() {
        int[] classes = new int[100];
        for (int i = 0; i < 100; i++) classes[i] = i < 70 ? 0 : (i < 90 ? 1 : 2);
        Split s = Split.stratified(classes, 0.2, Generator.seeded(1));
        int[] perClass = new int[3];
        for (int r : s.validation()) perClass[classes[r]]++;
        assertArrayEquals(new int[] {14, 4, 2}, perClass);
        boolean[] seen = new boolean[100];
        for (int r : s.train()) seen[r] = true;
        for (int r : s.validation()) {
            assertFalse(seen[r], "row " + r + " in both parts");
            seen[r] = true;
        }
        for (boolean b : seen) assertEquals(true, b);
        assertEquals(80, s.train().length);
    }

    private static TensorDataset data(int n) {
        return data(n, 2);
    }

    /** n rows of {@code width} features: the row's index, its negative, then zeros. */
    private static TensorDataset data(int n, int width) {
        float[] x = new float[n * width], y = new float[n];
        for (int i = 0; i < n; i++) {
            x[width * i] = i;
            x[width * i + 1] = -i;
            y[i] = i % 3;
        }
        return new TensorDataset(Tensor.of(x, n, width), Tensor.of(y, n));
    }

    /** Rows wide enough that batches of 8 are gathered on the background thread. */
    private static TensorDataset wide(int n) {
        return data(n, 2048);
    }

    private static List<int[]> rows(DataLoader loader, int epoch) {
        List<int[]> out = new ArrayList<>();
        for (Batch b : loader.epoch(epoch)) {
            float[] x = b.features().toFloatArray();
            int width = b.features().size(1);
            for (int i = 0; i < b.size(); i++) assertEquals(b.rows()[i], x[width * i], "features follow the rows");
            out.add(b.rows());
        }
        return out;
    }

    @Test
    void batchesCoverTheDataInOrderWithoutShuffle() {
        List<int[]> batches = rows(DataLoader.of(data(10), 4, false, false, 0), 0);
        assertEquals(3, batches.size());
        assertArrayEquals(new int[] {0, 1, 2, 3}, batches.get(0));
        assertArrayEquals(new int[] {8, 9}, batches.get(2));
        assertEquals(2, rows(DataLoader.of(data(10), 4, false, true, 0), 0).size());
        assertEquals(1, rows(DataLoader.of(data(10), DataLoader.FULL, false, false, 0), 0).size());
    }

    @Test
    void shuffledOrderIsAFunctionOfSeedAndEpoch() {
        DataLoader a = DataLoader.of(wide(50), 8, true, false, 7);
        DataLoader b = DataLoader.of(wide(50), 8, true, false, 7).withoutPrefetch();
        assertTrue(a.prefetches());
        assertFalse(b.prefetches());
        int[] e0 = flatten(rows(a, 0)), e1 = flatten(rows(a, 1));
        assertArrayEquals(e0, flatten(rows(b, 0)), "prefetching does not change batches");
        assertFalse(Arrays.equals(e0, e1), "epochs differ");
        assertArrayEquals(e1, flatten(rows(b, 1)), "epoch 1 alone, as after a resume, gives the same order");
        int[] sorted = e0.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 50; i++) assertEquals(i, sorted[i]);
    }

    @Test
    void closingAnEpochEarlyEndsItsPrefetchingThread() throws InterruptedException {
        DataLoader loader = DataLoader.of(data(200, 4096), 4, true, false, 3);
        assertTrue(loader.prefetches());
        try (DataLoader.Batches batches = loader.epoch(0).iterator()) {
            batches.next(); // stop after one batch of 50, as early stopping would
        }
        // The producer was blocked on a full queue; once interrupted it must exit, not wait forever.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (loaderThreads() > 0 && System.nanoTime() < deadline) Thread.sleep(10);
        assertEquals(0, loaderThreads(), "prefetching threads still alive after close");
    }

    /**
     * A batch of 32 rows of 3 values (a logistic regression's) is gathered on the caller's thread:
     * a thread started each epoch and a hand-over per batch cost more than the gathering. Before,
     * every epoch of such a run started a loader thread (312 of them in 10,000 steps of 32-row
     * batches of 1,024 rows), and the epoch boundaries took most of the training time.
     */
    @Test
    void smallBatchesAreGatheredOnTheCallersThread() throws InterruptedException {
        DataLoader small = DataLoader.of(data(1024), 32, true, false, 3);
        assertFalse(small.prefetches());
        assertTrue(DataLoader.of(data(1024, 512), 32, true, false, 3).prefetches(), "32 rows of 513 values: 16,416 >= 16,384");
        assertFalse(DataLoader.of(data(1024, 510), 32, true, false, 3).prefetches(), "32 rows of 511 values: 16,352 < 16,384");
        long before = loaderThreads();
        for (int epoch = 0; epoch < 3; epoch++) {
            try (DataLoader.Batches batches = small.epoch(epoch).iterator()) {
                while (batches.hasNext()) batches.next();
                assertEquals(before, loaderThreads(), "no loader thread");
            }
        }
        assertArrayEquals(flatten(rows(small, 1)), flatten(rows(small.withoutPrefetch(), 1)));
    }

    private static long loaderThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("descent-loader") && t.isAlive()).count();
    }

    private static int[] flatten(List<int[]> batches) {
        return batches.stream().flatMapToInt(Arrays::stream).toArray();
    }
}
