package dev.descent.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.tensor.GlobalSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The shared kernel pool: every index once, chunk bounds, failures, nesting and concurrent callers. */
@ExtendWith(GlobalSettings.class)
class ParallelTest {
    @Test
    void everyIndexRunsExactlyOnceInTheGivenChunks() {
        Parallel.setThreads(3);
        for (int round = 0; round < 2000; round++) { // many back-to-back loops: a late worker must not touch the next one
            int n = 1 + round % 97, chunks = 1 + round % 5;
            int[] hits = new int[n];
            List<int[]> bounds = java.util.Collections.synchronizedList(new ArrayList<>());
            Parallel.forChunks(n, chunks, (from, to) -> {
                bounds.add(new int[] {from, to});
                for (int i = from; i < to; i++) hits[i]++;
            });
            int[] ones = new int[n];
            java.util.Arrays.fill(ones, 1);
            assertArrayEquals(ones, hits, "round " + round);
            // The split is the caller's: chunk c is [n*c/chunks, n*(c+1)/chunks), or the whole range inline.
            for (int[] b : bounds) {
                boolean inline = b[0] == 0 && b[1] == n;
                boolean chunk = false;
                for (int c = 0; c < chunks; c++) chunk |= b[0] == (int) ((long) n * c / chunks) && b[1] == (int) ((long) n * (c + 1) / chunks);
                assertTrue(inline || chunk, "unexpected bounds " + b[0] + ".." + b[1] + " for n=" + n + " chunks=" + chunks);
            }
        }
    }

    @Test
    void workUsesMoreThanOneThread() {
        Parallel.setThreads(2);
        Set<Thread> seen = ConcurrentHashMap.newKeySet();
        CountDownLatch both = new CountDownLatch(2);
        Parallel.forChunks(2, 2, (from, to) -> {
            seen.add(Thread.currentThread());
            both.countDown();
            try {
                // Each chunk waits for the other: only possible when two threads run them.
                assertTrue(both.await(10, java.util.concurrent.TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(2, seen.size());
    }

    @Test
    void aFailureInAChunkReachesTheCallerAfterAllChunksEnd() {
        Parallel.setThreads(2);
        AtomicInteger ran = new AtomicInteger();
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> Parallel.forChunks(8, 8, (from, to) -> {
            ran.incrementAndGet();
            if (from == 5) throw boom;
        }));
        assertSame(boom, thrown);
        assertEquals(8, ran.get());
        // The pool is usable afterwards.
        int[] hits = new int[10];
        Parallel.forChunks(10, 2, (from, to) -> { for (int i = from; i < to; i++) hits[i]++; });
        for (int h : hits) assertEquals(1, h);
    }

    @Test
    void nestedAndConcurrentLoopsRunInlineInsteadOfWaiting() throws Exception {
        Parallel.setThreads(2);
        int callers = 4, n = 64;
        int[][] hits = new int[callers][n * n];
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < callers; t++) {
            int id = t;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int round = 0; round < 50; round++) {
                    Parallel.forChunks(n, 2, (from, to) -> {
                        for (int i = from; i < to; i++) {
                            int row = i;
                            Parallel.forChunks(n, 2, (f2, t2) -> { for (int j = f2; j < t2; j++) hits[id][row * n + j]++; });
                        }
                    });
                }
            }));
        }
        for (Thread t : threads) t.join(60_000);
        for (int[] h : hits) for (int v : h) assertEquals(50, v);
    }
}
