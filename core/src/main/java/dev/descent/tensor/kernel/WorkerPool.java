package dev.descent.tensor.kernel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of kernel threads that run the chunks of one parallel loop at a time, with the
 * calling thread taking part.
 *
 * <p>Why not a ForkJoinPool: a training step issues tens of parallel loops of a few hundred
 * microseconds each, separated by short serial stretches. A parked ForkJoin worker takes tens of
 * microseconds to wake (a futex round trip), and the caller parks again in {@code join}; measured
 * on the MLP benchmark, two threads were slower than one. Here an idle worker first polls the
 * volatile current job for {@link #SPIN_NANOS}, yielding its core between polls to any other
 * thread that wants it (so back-to-back loops start at once without starving the JIT), and only
 * then parks; the caller spins for the last chunks rather than parking.
 *
 * <p>Work sharing: the loop's chunks are fixed by the caller ({@code n}, {@code chunks}) and
 * claimed through an atomic counter, so which thread runs a chunk varies but what each chunk
 * computes does not: results stay independent of timing and thread count.
 *
 * <p>One loop at a time: a second thread calling in while a loop runs (parallel tuning trials),
 * or a chunk that itself calls a parallel loop, runs its loop inline on its own thread rather
 * than queueing, so no thread ever waits for the pool and no two pools compete for cores.
 */
final class WorkerPool {
    /**
     * How long an idle worker spins before parking. Long enough to bridge the serial gaps between
     * kernels of one training step (tens of microseconds), short enough not to hold a core for
     * long once training stops. Override with {@code -Ddescent.spin.micros=N}.
     */
    static final long SPIN_NANOS = Long.getLong("descent.spin.micros", 200L) * 1000L;

    private final Thread[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicInteger sleeping = new AtomicInteger();
    /** The latest loop; a worker runs a job once, when it first sees it. */
    private volatile Job current;
    private volatile boolean stopped;

    /**
     * One parallel loop with its own chunk counters: a worker that wakes late and still holds a
     * finished job finds its chunks all claimed, and can never take a chunk of the next loop.
     */
    private static final class Job {
        final Parallel.Range body;
        final int n, chunks;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        volatile Throwable failure;

        Job(Parallel.Range body, int n, int chunks) {
            this.body = body;
            this.n = n;
            this.chunks = chunks;
        }

        void runChunks() {
            for (int c; (c = next.getAndIncrement()) < chunks; ) {
                int from = (int) ((long) n * c / chunks), to = (int) ((long) n * (c + 1) / chunks);
                try {
                    if (to > from) body.run(from, to);
                } catch (Throwable t) {
                    if (failure == null) failure = t;
                } finally {
                    done.incrementAndGet();
                }
            }
        }
    }

    WorkerPool(int threads) {
        workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            Thread t = new Worker(this::workLoop, "descent-kernel-" + (i + 1));
            t.setDaemon(true);
            workers[i] = t;
            t.start();
        }
    }

    /** Ends the workers (after the loop in progress, if any). */
    void shutdown() {
        stopped = true;
        for (Thread t : workers) LockSupport.unpark(t);
    }

    /**
     * Runs body over [0, n) in exactly {@code chunks} near-equal contiguous parts; returns false
     * (having run nothing) when the pool is busy or the caller is one of its workers, so the
     * caller runs the loop inline.
     */
    boolean run(int n, int chunks, Parallel.Range body) {
        if (Thread.currentThread() instanceof Worker || !busy.compareAndSet(false, true)) return false;
        try {
            Job job = new Job(body, n, chunks);
            current = job;
            if (sleeping.get() > 0) {
                for (Thread t : workers) LockSupport.unpark(t);
            }
            job.runChunks();
            // The last chunks are short: spin, then yield, never park.
            long spins = 0;
            while (job.done.get() < chunks) {
                if (++spins < 10_000) Thread.onSpinWait();
                else Thread.yield();
            }
            current = null; // drop the body's captures
            Throwable f = job.failure;
            if (f instanceof RuntimeException re) throw re;
            if (f instanceof Error err) throw err;
            if (f != null) throw new IllegalStateException(f);
            return true;
        } finally {
            busy.set(false);
        }
    }

    private void workLoop() {
        Job seen = null;
        while (!stopped) {
            Job job = current;
            if (job == null || job == seen) {
                idle(job);
                continue;
            }
            seen = job;
            job.runChunks();
        }
    }

    /** Waits for another job: polls (yielding) for SPIN_NANOS, then parks (re-checking so no wake-up is lost). */
    private void idle(Job seen) {
        long start = System.nanoTime();
        while (current == seen && !stopped) {
            if (System.nanoTime() - start < SPIN_NANOS) {
                // Yield rather than spin in place: a JIT compiler, GC or data-loading thread
                // that wants this core gets it (spinning starved the JIT on 2 cores, stretching
                // warm-up over three MLP epochs), and when none does, yield returns at once.
                Thread.yield();
                continue;
            }
            sleeping.incrementAndGet();
            try {
                // The submitter publishes its job before reading sleeping; we raised sleeping before
                // this re-check, so either we see the new job or it sees us and unparks.
                if (current == seen && !stopped) LockSupport.park(this);
            } finally {
                sleeping.decrementAndGet();
            }
            start = System.nanoTime();
        }
    }

    /** Marks the pool's threads, so a kernel called from inside a chunk runs inline. */
    private static final class Worker extends Thread {
        Worker(Runnable r, String name) {
            super(r, name);
        }
    }
}
