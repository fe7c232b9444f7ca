package dev.pharos.probe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A loopback TCP server for prober tests: one thread per connection running a handler, so a test
 * can script exactly what the server writes, when it stalls and how it hangs up. It records every
 * accepted connection's remote address.
 */
final class RawServer implements AutoCloseable {
    interface Handler {
        void handle(Socket socket) throws Exception;
    }

    private final ServerSocket server;
    private final ExecutorService threads =
            Executors.newCachedThreadPool(
                    r -> {
                        Thread t = new Thread(r, "raw-server");
                        t.setDaemon(true);
                        return t;
                    });
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final List<InetSocketAddress> remotes = new CopyOnWriteArrayList<>();

    private RawServer(ServerSocket server, Handler handler) {
        this.server = server;
        threads.execute(() -> acceptLoop(handler));
    }

    /** Starts a server on an ephemeral port of a loopback address such as 127.0.50.1. */
    static RawServer start(String loopbackAddress, Handler handler) throws IOException {
        InetAddress address = InetAddress.getByAddress(toBytes(loopbackAddress));
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException("tests stay on loopback: " + loopbackAddress);
        }
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(address, 0), 512);
        return new RawServer(server, handler);
    }

    /** A port on the address with nothing listening. */
    static int closedPort(String loopbackAddress) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByAddress(toBytes(loopbackAddress)), 0));
            return s.getLocalPort();
        }
    }

    static byte[] toBytes(String dotted) {
        String[] parts = dotted.split("\\.");
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            b[i] = (byte) Integer.parseInt(parts[i]);
        }
        return b;
    }

    InetAddress address() {
        return server.getInetAddress();
    }

    int port() {
        return server.getLocalPort();
    }

    List<InetSocketAddress> remotes() {
        return List.copyOf(remotes);
    }

    /**
     * The remote addresses once at least n connections were accepted. A client may see its
     * connection established before the server thread has accepted it, hence the wait.
     */
    List<InetSocketAddress> awaitRemotes(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        synchronized (remotes) {
            while (remotes.size() < n && System.nanoTime() < deadline) {
                remotes.wait(100);
            }
        }
        return remotes();
    }

    private void acceptLoop(Handler handler) {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            synchronized (remotes) {
                remotes.add((InetSocketAddress) s.getRemoteSocketAddress());
                remotes.notifyAll();
            }
            open.add(s);
            try {
                threads.execute(handle(s, handler));
            } catch (RejectedExecutionException closing) {
                closeQuietly(s);
                return;
            }
        }
    }

    private Runnable handle(Socket s, Handler handler) {
        return () -> {
            try (s) {
                handler.handle(s);
            } catch (Exception e) {
                // The client hung up or rejected us: what some tests want.
            } finally {
                open.remove(s);
            }
        };
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Reads a request head up to the blank line; "" if the client closed first. */
    static String readHead(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int c;
        int tail = 0;
        while ((c = in.read()) >= 0) {
            head.write(c);
            tail = (tail << 8 | c) & 0xffffffff;
            if (tail == 0x0d0a0d0a) {
                break;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Blocks until the client closes the connection. */
    static void drain(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        byte[] buf = new byte[1024];
        while (in.read(buf) >= 0) {
            // discard
        }
    }

    static void write(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** A complete response with a Content-Length. */
    static String response(int status, String reason, String body) {
        return "HTTP/1.1 "
                + status
                + " "
                + reason
                + "\r\nContent-Length: "
                + body.getBytes(StandardCharsets.ISO_8859_1).length
                + "\r\nConnection: close\r\n\r\n"
                + body;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
        threads.shutdownNow();
    }
}
