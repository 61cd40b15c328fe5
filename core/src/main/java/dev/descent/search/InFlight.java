package dev.descent.search;

import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The trials one {@link Study#optimize} call has started and not yet told, so that asking for
 * trial {@code n} can wait until those within its {@link HistoryWindow horizon} have finished.
 * Only this call's own trials are waited for: a trial another process or a hand-run
 * {@link Study#ask()} left running may never finish, and is seen as running instead.
 *
 * <p>If a worker dies (its objective threw an Error, or the storage failed), the optimize call
 * will fail; {@link #abandon()} makes the other workers stop at their next ask (or while waiting
 * there) instead of carrying on the study.
 */
final class InFlight {
    private final TreeSet<Integer> running = new TreeSet<>();
    private boolean abandoned;

    synchronized void started(int number) {
        running.add(number);
    }

    synchronized void finished(int number) {
        running.remove(number);
        notifyAll();
    }

    synchronized boolean isRunning(int number) {
        return running.contains(number);
    }

    /**
     * Waits {@code nanos}, or less if the run is abandoned meanwhile.
     *
     * @return false when the run was abandoned (or this thread interrupted)
     */
    synchronized boolean pause(long nanos) {
        long end = System.nanoTime() + nanos;
        for (long left = nanos; !abandoned && left > 0; left = end - System.nanoTime()) {
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !abandoned;
    }

    synchronized void abandon() {
        abandoned = true;
        notifyAll();
    }

    /**
     * Blocks until no trial numbered {@code <= horizon} is running.
     *
     * @return false when the run was abandoned (or this thread interrupted) instead
     */
    synchronized boolean awaitUpTo(int horizon) {
        while (!abandoned && !running.isEmpty() && running.first() <= horizon) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !abandoned;
    }
}
