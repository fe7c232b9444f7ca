package dev.pharos.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * Another vantage point, faked: serves a snapshot the test sets at GET /api/v1/observations and
 * records what Pharos pulls and pushes, with the Authorization header each request carried.
 */
public final class FakePeer implements AutoCloseable {
    /** A request Pharos made. */
    public record Request(String method, String authorization, String body, String path) {}

    private final HttpServer server;
    private final String scheme;
    private final String name;
    private final String instance = "fake-" + System.nanoTime();
    private final Instant startedAt = Instant.now();
    private final AtomicLong round = new AtomicLong();
    private final AtomicReference<Map<String, String>> votes = new AtomicReference<>(Map.of());
    private final AtomicInteger status = new AtomicInteger(200);
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private FakePeer(String name, HttpServer server, String scheme) {
        this.name = name;
        this.server = server;
        this.scheme = scheme;
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/api/v1/observations", this::handle);
        server.start();
    }

    /** The token this peer presents: {@link TestTopology#peerToken} of its name. */
    public String token() {
        return TestTopology.peerToken(name);
    }

    public static FakePeer http(String name, String address) {
        try {
            return new FakePeer(
                    name, HttpServer.create(new InetSocketAddress(address, 0), 50), "http");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static FakePeer https(String name, String address, SSLContext tls) {
        try {
            HttpsServer s = HttpsServer.create(new InetSocketAddress(address, 0), 50);
            s.setHttpsConfigurator(new HttpsConfigurator(tls));
            return new FakePeer(name, s, "https");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An https peer that requires a client certificate verified by {@code tls}'s trust managers
     * (the handshake fails without one), as a vantage point with {@code client-auth: required}
     * does.
     */
    public static FakePeer httpsRequiringClientCertificate(
            String name, String address, SSLContext tls) {
        try {
            HttpsServer s = HttpsServer.create(new InetSocketAddress(address, 0), 50);
            s.setHttpsConfigurator(
                    new HttpsConfigurator(tls) {
                        @Override
                        public void configure(com.sun.net.httpserver.HttpsParameters params) {
                            javax.net.ssl.SSLParameters p = tls.getDefaultSSLParameters();
                            p.setNeedClientAuth(true);
                            params.setSSLParameters(p);
                        }
                    });
            return new FakePeer(name, s, "https");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(
                new Request(
                        ex.getRequestMethod(),
                        ex.getRequestHeaders().getFirst("Authorization"),
                        body,
                        ex.getRequestURI().getPath()));
        if (status.get() != 200) {
            ex.sendResponseHeaders(status.get(), -1);
            ex.close();
            return;
        }
        if ("POST".equals(ex.getRequestMethod())) {
            ex.sendResponseHeaders(204, -1);
            ex.close();
            return;
        }
        byte[] out = snapshotJson().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, out.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(out);
        }
    }

    /** The JSON this peer serves now: every vote given, each with a fresh probe result. */
    public String snapshotJson() {
        String targets =
                votes.get().entrySet().stream()
                        .map(
                                e ->
                                        "\"%s\":{\"vote\":\"%s\",\"since\":\"%s\",\"ageMs\":0,\"last\":{\"success\":%s,%s\"detail\":\"fake\",\"totalMs\":0.5}}"
                                                .formatted(
                                                        e.getKey(),
                                                        e.getValue(),
                                                        startedAt,
                                                        !"DOWN".equals(e.getValue()),
                                                        "DOWN".equals(e.getValue())
                                                                ? "\"reason\":\"REFUSED\","
                                                                : ""))
                        .collect(Collectors.joining(","));
        return "{\"vantage\":\"%s\",\"instance\":\"%s\",\"startedAt\":\"%s\",\"round\":%d,\"now\":\"%s\",\"abstaining\":false,\"targets\":{%s}}"
                .formatted(
                        name, instance, startedAt, round.incrementAndGet(), Instant.now(), targets);
    }

    /** Votes by target id: "UP", "DOWN" or "UNKNOWN". */
    public void votes(Map<String, String> byTarget) {
        votes.set(Map.copyOf(byTarget));
    }

    /** Answer every request with this status (200: normally). */
    public void status(int code) {
        status.set(code);
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requests(String method) {
        return requests.stream().filter(r -> r.method().equals(method)).toList();
    }

    /** Requests Pharos made to this path. */
    public List<Request> requestsTo(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    public String url() {
        InetSocketAddress a = server.getAddress();
        return scheme + "://" + a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
