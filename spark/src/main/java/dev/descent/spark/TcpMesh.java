package dev.descent.spark;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A full mesh of TCP connections between the P tasks of one barrier stage: every pair of ranks
 * holds one socket. Rank r connects to every rank below it and accepts a connection from every
 * rank above it; the first thing a connecting rank sends is its own rank. The addresses travel
 * through Spark ({@code BarrierTaskContext.allGather}), the data never does: Spark's scheduler
 * costs 45-110 ms per job, a socket moves 100k floats in 1-3 ms (measured in the probe).
 */
final class TcpMesh implements AutoCloseable {
    private final int rank;
    private final Socket[] peers;
    private final DataOutputStream[] outs;
    private final DataInputStream[] ins;
    private final ExecutorService senders;

    private TcpMesh(int rank, Socket[] peers) throws IOException {
        this.rank = rank;
        this.peers = peers;
        this.outs = new DataOutputStream[peers.length];
        this.ins = new DataInputStream[peers.length];
        for (int r = 0; r < peers.length; r++) {
            if (r == rank) continue;
            outs[r] = new DataOutputStream(new BufferedOutputStream(peers[r].getOutputStream(), 1 << 16));
            ins[r] = new DataInputStream(new BufferedInputStream(peers[r].getInputStream(), 1 << 16));
        }
        this.senders = Executors.newVirtualThreadPerTaskExecutor();
    }

    /** A listening socket on an ephemeral port of {@code host}, to be published before {@link #connect}. */
    static ServerSocket listen(String host) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(host, 0), 64);
        return server;
    }

    /**
     * Builds the mesh once every rank's {@code host:port} is known (in rank order).
     *
     * @param timeoutMillis how long a read may wait for a peer (a peer that died without closing)
     */
    static TcpMesh connect(int rank, List<String> addresses, ServerSocket server, int timeoutMillis) throws IOException {
        int parties = addresses.size();
        Socket[] peers = new Socket[parties];
        try {
            for (int r = 0; r < rank; r++) {
                String a = addresses.get(r);
                int colon = a.lastIndexOf(':');
                Socket s = new Socket();
                s.connect(new InetSocketAddress(a.substring(0, colon), Integer.parseInt(a.substring(colon + 1))), timeoutMillis);
                s.setTcpNoDelay(true);
                new DataOutputStream(s.getOutputStream()).writeInt(rank);
                peers[r] = s;
            }
            server.setSoTimeout(timeoutMillis);
            for (int k = rank + 1; k < parties; k++) {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                int from = new DataInputStream(s.getInputStream()).readInt();
                if (from <= rank || from >= parties || peers[from] != null) throw new IOException("unexpected connection from rank " + from);
                peers[from] = s;
            }
            for (Socket s : peers) if (s != null) s.setSoTimeout(timeoutMillis);
        } catch (IOException e) {
            for (Socket s : peers) if (s != null) s.close();
            throw e;
        } finally {
            server.close();
        }
        return new TcpMesh(rank, peers);
    }

    int rank() { return rank; }

    int parties() { return peers.length; }

    /**
     * Sends {@code mine} to every other rank and returns every rank's message, by rank (this
     * rank's own included).
     *
     * @param tag a number every rank must agree on for this exchange (the step), checked on receipt
     */
    byte[][] allGather(long tag, byte[] mine) {
        byte[][] same = new byte[peers.length][];
        java.util.Arrays.fill(same, mine);
        return exchange(tag, same);
    }

    /**
     * Sends {@code toEach[r]} to every other rank r and returns what each rank sent this one, by
     * rank ({@code toEach[rank]} in this rank's own place). Sends run on their own threads while
     * this one reads, so two ranks sending large messages to each other cannot block on full
     * socket buffers.
     *
     * @param tag a number every rank must agree on for this exchange, checked on receipt
     */
    byte[][] exchange(long tag, byte[][] toEach) {
        List<Future<?>> sends = new ArrayList<>();
        for (int r = 0; r < peers.length; r++) {
            if (r == rank) continue;
            DataOutputStream out = outs[r];
            byte[] message = toEach[r];
            sends.add(senders.submit(() -> {
                out.writeLong(tag);
                out.writeInt(message.length);
                out.write(message);
                out.flush();
                return null;
            }));
        }
        byte[][] all = new byte[peers.length][];
        all[rank] = toEach[rank];
        try {
            for (int r = 0; r < peers.length; r++) {
                if (r == rank) continue;
                long theirs = ins[r].readLong();
                if (theirs != tag) throw new IOException("rank " + r + " sent exchange " + theirs + " while rank " + rank + " is at " + tag);
                byte[] b = new byte[ins[r].readInt()];
                ins[r].readFully(b);
                all[r] = b;
            }
            for (Future<?> f : sends) f.get();
        } catch (IOException e) {
            throw new UncheckedIOException("exchange " + tag + " between the tasks failed (rank " + rank + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during exchange " + tag, e);
        } catch (ExecutionException e) {
            throw new UncheckedIOException("sending exchange " + tag + " failed (rank " + rank + "): " + e.getCause().getMessage(),
                    e.getCause() instanceof IOException io ? io : new IOException(e.getCause()));
        }
        return all;
    }

    @Override
    public void close() {
        senders.shutdownNow();
        for (Socket s : peers) {
            if (s == null) continue;
            try {
                s.close();
            } catch (IOException ignored) {
                // closing: nothing left to do with a socket that fails to close
            }
        }
    }
}
