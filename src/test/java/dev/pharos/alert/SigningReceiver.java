package dev.pharos.alert;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver on loopback that checks Pharos's signature the way docs/ALERTS.md tells
 * receivers to, written independently of Pharos's own code: the timestamp must be within the window
 * of the receiver's clock, the HMAC-SHA256 of "timestamp.body" must match, and a delivery id
 * already processed is acknowledged but not processed again. It can be told to fail its first valid
 * requests with 500.
 */
final class SigningReceiver implements AutoCloseable {
    /** One request as received, and what the receiver answered. */
    record Request(String delivery, String timestamp, String signature, byte[] body, int answer) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final String secret;
    private final Clock clock;
    private final Duration window;
    private final AtomicInteger failFirst = new AtomicInteger();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Request> processed = new CopyOnWriteArrayList<>();
    private final Set<String> seen = new HashSet<>();

    SigningReceiver(String address, String secret, Clock clock, Duration window) {
        this.secret = secret;
        this.clock = clock;
        this.window = window;
        try {
            server = HttpServer.create(new InetSocketAddress(address, 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/hook", this::handle);
        server.start();
    }

    /** The first {@code n} valid requests get 500. */
    void failFirst(int n) {
        failFirst.set(n);
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        String ts = ex.getRequestHeaders().getFirst("X-Pharos-Timestamp");
        String sig = ex.getRequestHeaders().getFirst("X-Pharos-Signature");
        String id = ex.getRequestHeaders().getFirst("X-Pharos-Delivery");
        int answer = verify(ts, sig, body);
        if (answer == 200 && failFirst.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            answer = 500;
        }
        Request r = new Request(id, ts, sig, body, answer);
        requests.add(r);
        if (answer == 200) {
            synchronized (seen) {
                if (seen.add(id)) {
                    processed.add(r);
                }
            }
        }
        ex.sendResponseHeaders(answer, -1);
        ex.close();
    }

    /** 200, or 401 for a missing, stale or wrong signature (a receiver without secret: 200). */
    int verify(String ts, String sig, byte[] body) {
        if (secret == null) {
            return 200;
        }
        if (ts == null || sig == null || !sig.startsWith("v1=")) {
            return 401;
        }
        long t;
        try {
            t = Long.parseLong(ts);
        } catch (NumberFormatException e) {
            return 401;
        }
        if (Math.abs(clock.instant().getEpochSecond() - t) > window.toSeconds()) {
            return 401;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((ts + ".").getBytes(StandardCharsets.UTF_8));
            byte[] expected = mac.doFinal(body);
            byte[] given = HexFormat.of().parseHex(sig.substring(3));
            return MessageDigest.isEqual(expected, given) ? 200 : 401;
        } catch (IllegalArgumentException e) {
            return 401;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends a request again exactly as it was received (an attacker replaying it). */
    int replay(Request r, byte[] body) {
        try {
            HttpRequest.Builder b =
                    HttpRequest.newBuilder(URI.create(url()))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .header("Content-Type", "application/json")
                            .header("X-Pharos-Delivery", r.delivery())
                            .header("X-Pharos-Timestamp", r.timestamp())
                            .header("X-Pharos-Signature", r.signature());
            return HttpClient.newHttpClient()
                    .send(b.build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Valid requests, each delivery id once, in arrival order. */
    List<Request> processed() {
        return List.copyOf(processed);
    }

    String url() {
        InetSocketAddress a = server.getAddress();
        return "http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + "/hook";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
