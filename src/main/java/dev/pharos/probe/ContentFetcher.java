package dev.pharos.probe;

import dev.pharos.config.ProbeSpec;
import dev.pharos.config.ProbeType;
import dev.pharos.config.Target;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Fetches one path of a target with the probers' HTTP exchange, connection clients, timeouts,
 * failure reasons and phase timings, keeping the status, ETag, Content-Length and body (up to a
 * limit). It never fails the returned future.
 */
public final class ContentFetcher {
    private final Vertx vertx;
    private final Clock clock;
    private final NetClients clients;

    ContentFetcher(Vertx vertx, Clock clock, NetClients clients) {
        this.vertx = vertx;
        this.clock = clock;
        this.clients = clients;
    }

    /**
     * @param target whose probe settings (type, timeouts, Host, TLS) the fetch uses
     * @param maxBody the largest body accepted, in bytes
     */
    public Future<ContentFetch> fetch(Target target, String path, int maxBody) {
        ProbeSpec spec = target.probe().withPath(path);
        Target at =
                new Target(
                        target.id(),
                        target.kind(),
                        target.region(),
                        target.name(),
                        target.family(),
                        target.address(),
                        target.port(),
                        spec);
        boolean tls = spec.type() == ProbeType.HTTPS;
        BodyCapture capture = new BodyCapture(maxBody);
        return ProbeRun.start(
                        vertx,
                        clock,
                        at,
                        run -> {
                            NetClient client;
                            try {
                                client =
                                        clients.client(
                                                spec.connectTimeout(),
                                                tls && spec.tlsVerify(),
                                                tls && spec.tlsVerify()
                                                        ? spec.caFile()
                                                        : Optional.empty());
                            } catch (IllegalStateException e) {
                                run.fail(FailureReason.OTHER, e.getMessage());
                                return;
                            }
                            new HttpExchange(run, client, tls, capture).start();
                        })
                .map(r -> fetched(path, r, capture));
    }

    private static ContentFetch fetched(String path, ProbeResult r, BodyCapture capture) {
        Optional<Long> length =
                capture.contentLength()
                        .flatMap(
                                v -> {
                                    try {
                                        return Optional.of(Long.parseLong(v.trim()));
                                    } catch (NumberFormatException e) {
                                        return Optional.empty();
                                    }
                                });
        boolean ok = r.success() && r.status().filter(s -> s == 200).isPresent();
        byte[] body = ok ? capture.bytes() : new byte[0];
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.length() > ContentFetch.TEXT_LIMIT) {
            text = text.substring(0, ContentFetch.TEXT_LIMIT);
        }
        return new ContentFetch(
                path,
                r,
                r.success() ? capture.etag() : Optional.empty(),
                r.success() ? length : Optional.empty(),
                ok ? Optional.of(sha256(body)) : Optional.empty(),
                ok ? Optional.of(text) : Optional.empty());
    }

    static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
