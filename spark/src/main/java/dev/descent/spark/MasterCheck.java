package dev.descent.spark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether a standalone master ({@code spark://host:port}, or {@code spark://h1:p1,h2:p2} for
 * masters in standby) accepts a TCP connection, asked before Spark is: Spark's own client tries
 * to register 3 times, 20 s apart, logs each failure with its stack trace and then stops the
 * context, so an unreachable master would cost a minute of noise and a confusing failure. This
 * check takes at most {@link #TIMEOUT} (name resolution and connection together). It only proves
 * that something listens there: a port that is not a Spark master still fails in Spark. Other
 * masters ({@code local[N]}, {@code yarn}, {@code k8s://...}) are not checked.
 */
final class MasterCheck {
    /** The longest the check waits for the masters to resolve and answer, all of them together. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private MasterCheck() {}

    /**
     * @throws IllegalArgumentException naming the master and why none of its addresses answered:
     *                                  a malformed address, a host that does not resolve, a
     *                                  refused connection, or no answer within {@link #TIMEOUT}
     */
    static void reachable(String master) {
        if (!master.startsWith("spark://")) return;
        List<CompletableFuture<String>> tries = new ArrayList<>();
        for (String hostPort : master.substring("spark://".length()).split(",")) tries.add(CompletableFuture.supplyAsync(() -> attempt(hostPort),
                r -> Thread.ofVirtual().start(r)));
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        List<String> why = new ArrayList<>();
        for (CompletableFuture<String> t : tries) {
            try {
                String failure = t.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (failure == null) return;
                why.add(failure);
            } catch (TimeoutException e) {
                why.add("no answer within " + TIMEOUT.toSeconds() + " s");
            } catch (ExecutionException e) {
                why.add(String.valueOf(e.getCause().getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while checking the Spark master " + master, e);
            }
        }
        throw new IllegalArgumentException("cannot reach the Spark master " + master + " (" + String.join("; ", why) + ")");
    }

    /** Null when {@code hostPort} accepts a connection, else why not. */
    private static String attempt(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = colon > 0 ? hostPort.substring(0, colon) : hostPort;
        int port;
        try {
            port = colon > 0 ? Integer.parseInt(hostPort.substring(colon + 1)) : -1;
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (host.isEmpty() || port < 1 || port > 65535) return hostPort + ": not host:port";
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(java.net.InetAddress.getByName(host), port), (int) TIMEOUT.toMillis());
            return null;
        } catch (UnknownHostException e) {
            return host + ": unknown host";
        } catch (IOException e) {
            return hostPort + ": " + e.getMessage();
        }
    }
}
