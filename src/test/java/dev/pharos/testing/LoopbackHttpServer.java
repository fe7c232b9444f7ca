package dev.pharos.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on one loopback address that answers every path with a status and a body
 * naming it; tests stop and restart it on the same port, and change its status. Paths given a
 * {@link #file} are served as files instead: 200 and that body (content checks).
 */
public final class LoopbackHttpServer implements AutoCloseable {
    private final String address;
    private final String name;
    private final AtomicInteger status = new AtomicInteger(200);
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private int port;
    private HttpServer server;

    public LoopbackHttpServer(String address, String name) {
        this(address, name, 0);
    }

    /** On a fixed port (0: any free one, kept across restarts). */
    public LoopbackHttpServer(String address, String name, int port) {
        this.address = address;
        this.name = name;
        this.port = port;
    }

    public synchronized LoopbackHttpServer start() {
        try {
            server = HttpServer.create(new InetSocketAddress(address, port), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext(
                "/",
                exchange -> {
                    byte[] file = files.get(exchange.getRequestURI().getPath());
                    if (file != null) {
                        exchange.sendResponseHeaders(200, file.length);
                        try (OutputStream out = exchange.getResponseBody()) {
                            out.write(file);
                        }
                        return;
                    }
                    // the body says who served it and which relays the request passed (relay tests)
                    String relays = exchange.getRequestHeaders().getFirst("X-Pharos-Relay");
                    String host = exchange.getRequestHeaders().getFirst("Host");
                    byte[] body =
                            ("served by "
                                            + name
                                            + (relays == null ? "" : " via relay " + relays)
                                            + " for host "
                                            + host
                                            + "\n")
                                    .getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("X-Served-By", name);
                    exchange.sendResponseHeaders(status.get(), body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                });
        server.start();
        port = server.getAddress().getPort();
        return this;
    }

    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
            server = null;
        }
    }

    /** Serves {@code body} at {@code path} (200) from now on, whatever {@link #status} says. */
    public LoopbackHttpServer file(String path, String body) {
        files.put(path, body.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public void status(int code) {
        status.set(code);
    }

    public String address() {
        return address;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        stop();
    }
}
