package io.slimjobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Predicate;

/**
 * A TCP proxy between SlimJobs and the test API server that can make watches lag: once a connection has sent a
 * request with `watch=true`, every byte the server sends back on it is delayed, so informers see each change
 * late while lists and writes go through at once. It can also take the API server away ({@link #cut}) and bring it
 * back ({@link #restore}), or stall it ({@link #stall}): connections are accepted, but what clients send is held
 * until {@link #resume}, then delivered, even for a client that has given up and closed its connection meanwhile (a
 * request that reaches the API server late). Point `slimjobs.kubernetes.master-url` at {@link #url()}.
 */
public final class ApiServerProxy implements AutoCloseable {

    private static final byte[] WATCH = "watch=true".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket listener;
    private final URI upstream;
    private final Duration watchDelay;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean away;
    /** Guarded by this proxy's monitor. */
    private boolean stalled;

    public ApiServerProxy(String upstreamUrl, Duration watchDelay) {
        this.upstream = URI.create(upstreamUrl);
        this.watchDelay = watchDelay;
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        daemon(this::accept);
    }

    public String url() {
        return "http://127.0.0.1:" + listener.getLocalPort() + "/";
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (away) {
                    close(client);
                    continue;
                }
                Socket server = new Socket(upstream.getHost(), upstream.getPort());
                sockets.addAll(List.of(client, server));
                Connection connection = new Connection();
                daemon(() -> connection.toServer(client, server));
                daemon(() -> connection.toClient(server, client));
            } catch (IOException e) {
                // closed, or the upstream is down: the client sees its connection fail
            }
        }
    }

    /** One proxied connection: client bytes go through at once, server bytes late once it carries a watch. */
    private final class Connection {

        private volatile boolean watching;
        private final BlockingQueue<Chunk> late = new LinkedBlockingQueue<>();

        /** Tells the writer that the server closed the connection. */
        private static final Chunk END = new Chunk(0, null);

        private record Chunk(long dueNanos, byte[] bytes) {
        }

        private final BlockingQueue<byte[]> sent = new LinkedBlockingQueue<>();
        /** Tells the forwarder that the client closed the connection. */
        private static final byte[] CLOSED = new byte[0];

        void toServer(Socket client, Socket server) {
            daemon(() -> forwardWhenFlowing(server));
            byte[] buffer = new byte[16 * 1024];
            try {
                InputStream in = client.getInputStream();
                for (int read; (read = in.read(buffer)) >= 0; ) {
                    byte[] bytes = Arrays.copyOf(buffer, read);
                    // a request line split across two reads would be missed: fabric8 writes each head in one go
                    watching |= contains(bytes, WATCH);
                    sent.add(bytes);
                }
            } catch (IOException e) {
                // either side closed
            } finally {
                sent.add(CLOSED);
            }
        }

        /**
         * Sends the client's bytes on while the proxy does not stall. Once the client has closed, a connection that
         * held nothing closes; one that held a request stays open for the server to take and answer it.
         */
        private void forwardWhenFlowing(Socket server) {
            boolean held = false;
            try {
                OutputStream out = server.getOutputStream();
                for (byte[] bytes = sent.take(); bytes != CLOSED; bytes = sent.take()) {
                    held |= awaitFlowing();
                    out.write(bytes);
                    out.flush();
                }
                if (!held) {
                    close(server);
                }
            } catch (IOException | InterruptedException e) {
                close(server);
            }
        }

        void toClient(Socket server, Socket client) {
            daemon(() -> writeWhenDue(client));
            pump(server, client, bytes -> {
                if (!watching && late.isEmpty()) {
                    return false;
                }
                late.add(new Chunk(System.nanoTime() + watchDelay.toNanos(), bytes));
                return true;
            });
            late.add(END);
        }

        private void writeWhenDue(Socket client) {
            try {
                OutputStream out = client.getOutputStream();
                for (Chunk chunk = late.take(); chunk != END; chunk = late.take()) {
                    long wait = chunk.dueNanos() - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    out.write(chunk.bytes());
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                close(client);
            }
        }
    }

    /** Copies {@code from} to {@code to}, except the chunks {@code divert} takes; closes both at the end. */
    private static void pump(Socket from, Socket to, Predicate<byte[]> divert) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int read; (read = in.read(buffer)) >= 0; ) {
                byte[] bytes = Arrays.copyOf(buffer, read);
                if (!divert.test(bytes)) {
                    out.write(bytes);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // either side closed
        } finally {
            close(from);
            close(to);
        }
    }

    private static boolean contains(byte[] bytes, byte[] part) {
        for (int i = 0; i + part.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return true;
            }
        }
        return false;
    }

    private static void daemon(Runnable task) {
        Thread thread = new Thread(task, "api-server-proxy");
        thread.setDaemon(true);
        thread.start();
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    /** The API server is away: open connections break and new ones are closed at once. */
    public void cut() {
        away = true;
        sockets.forEach(ApiServerProxy::close);
        sockets.clear();
    }

    /** The API server is back. */
    public void restore() {
        away = false;
    }

    /** The API server stalls: connections are accepted, requests are held and nothing is answered. */
    public synchronized void stall() {
        stalled = true;
    }

    /** The API server answers again, starting with the requests held meanwhile. */
    public synchronized void resume() {
        stalled = false;
        notifyAll();
    }

    /** Waits while the proxy stalls; true if it did. */
    private synchronized boolean awaitFlowing() throws InterruptedException {
        boolean waited = stalled;
        while (stalled) {
            wait();
        }
        return waited;
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // already closed
        }
        sockets.forEach(ApiServerProxy::close);
    }
}
