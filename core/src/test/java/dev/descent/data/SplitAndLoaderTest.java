package dev.descent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
        float[] x = new float[n * 2], y = new float[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = -i;
            y[i] = i % 3;
        }
        return new TensorDataset(Tensor.of(x, n, 2), Tensor.of(y, n));
    }

    private static List<int[]> rows(DataLoader loader, int epoch) {
        List<int[]> out = new ArrayList<>();
        for (Batch b : loader.epoch(epoch)) {
            float[] x = b.features().toFloatArray();
            for (int i = 0; i < b.size(); i++) assertEquals(b.rows()[i], x[2 * i], "features follow the rows");
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
        DataLoader a = DataLoader.of(data(50), 8, true, false, 7);
        DataLoader b = DataLoader.of(data(50), 8, true, false, 7).withoutPrefetch();
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
        DataLoader loader = DataLoader.of(data(200), 4, true, false, 3);
        try (DataLoader.Batches batches = loader.epoch(0).iterator()) {
            batches.next(); // stop after one batch of 50, as early stopping would
        }
        // The producer was blocked on a full queue; once interrupted it must exit, not wait forever.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (loaderThreads() > 0 && System.nanoTime() < deadline) Thread.sleep(10);
        assertEquals(0, loaderThreads(), "prefetching threads still alive after close");
    }

    private static long loaderThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("descent-loader") && t.isAlive()).count();
    }

    private static int[] flatten(List<int[]> batches) {
        return batches.stream().flatMapToInt(Arrays::stream).toArray();
    }
}
