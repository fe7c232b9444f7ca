package dev.pharos.observation;

import dev.pharos.config.IpLiterals;
import dev.pharos.config.PeerInfo;
import io.netty.channel.ConnectTimeoutException;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.tls.TlsConfiguration;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.io.Closeable;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.jboss.logging.Logger;

/**
 * Talks to one peer: pulls its snapshot and pushes ours. Every call is non-blocking, bounded by the
 * exchange timeout, carries the peer token as a bearer token (if this instance has one; with mutual
 * TLS the TLS configuration's key pair is its credential), leaves from this node's source address
 * if one is configured, and fails only with a classified {@link PeerExchangeException} whose
 * message never holds the token. No retries: the next pull, one interval later, is the retry.
 */
public final class PeerClient implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PeerClient.class);
    private static final int MAX_MESSAGE = 160;

    private final PeerInfo peer;
    private final PeerApi api;
    private final String authorization;
    private final Duration timeout;

    private PeerClient(PeerInfo peer, PeerApi api, String token, Duration timeout) {
        this.peer = peer;
        this.api = api;
        this.authorization = token == null ? null : "Bearer " + token;
        this.timeout = timeout;
    }

    /**
     * @param source local address to connect from (the node's source address), if any
     * @param tls the TLS configuration for https peer URLs; empty: the JVM's default trust
     */
    public static PeerClient create(
            PeerInfo peer,
            String token,
            Duration timeout,
            Optional<InetAddress> source,
            Optional<TlsConfiguration> tls) {
        QuarkusRestClientBuilder b =
                QuarkusRestClientBuilder.newBuilder()
                        .baseUri(peer.url())
                        .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                        .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                        .followRedirects(false);
        tls.ifPresent(b::tlsConfiguration);
        source.ifPresent(
                a -> b.httpClientOptionsCustomizer(o -> o.setLocalAddress(IpLiterals.toText(a))));
        return new PeerClient(peer, b.build(PeerApi.class), token, timeout);
    }

    public PeerInfo peer() {
        return peer;
    }

    /** The peer's current snapshot; it must name the vantage point configured at this URL. */
    public Uni<VantageSnapshot> pull() {
        return guard(api.pull(authorization))
                .onItem()
                .transform(
                        s -> {
                            if (s == null || !peer.name().equals(s.vantage())) {
                                throw new PeerExchangeException(
                                        ExchangeOutcome.INVALID,
                                        "answered as '"
                                                + (s == null ? null : s.vantage())
                                                + "', expected '"
                                                + peer.name()
                                                + "'");
                            }
                            return s;
                        });
    }

    /** Hands the peer our snapshot. */
    public Uni<Void> push(VantageSnapshot snapshot) {
        return guard(api.push(authorization, snapshot));
    }

    /** Asks the peer to probe these targets at once. */
    public Uni<Void> reprobe(ReprobeRequest request) {
        return guard(api.reprobe(authorization, request));
    }

    private <T> Uni<T> guard(Uni<T> call) {
        return call.ifNoItem()
                .after(timeout)
                .fail()
                .onFailure()
                .invoke(t -> LOG.debugf("peer %s: %s", peer.name(), t))
                .onFailure()
                .transform(t -> classify(t, timeout));
    }

    /** Maps whatever the client threw to an outcome and a short message fit for status. */
    static PeerExchangeException classify(Throwable t, Duration timeout) {
        if (t instanceof PeerExchangeException p) {
            return p;
        }
        if (t instanceof TimeoutException
                || has(t, ConnectTimeoutException.class)
                || has(t, java.util.concurrent.TimeoutException.class)
                || has(t, io.netty.handler.timeout.TimeoutException.class)) {
            return new PeerExchangeException(
                    ExchangeOutcome.TIMEOUT, "no answer within " + timeout.toMillis() + " ms");
        }
        WebApplicationException wae = find(t, WebApplicationException.class);
        if (wae != null) {
            int status = wae.getResponse().getStatus();
            if (status == 401 || status == 403) {
                return new PeerExchangeException(
                        ExchangeOutcome.UNAUTHORIZED,
                        "HTTP "
                                + status
                                + ": the peer refused our token (does its"
                                + " pharos.peers[].token-sha256 for this vantage point hold the"
                                + " SHA-256 of our PHAROS_API_PEER_TOKEN?)");
            }
            return new PeerExchangeException(
                    status >= 500 ? ExchangeOutcome.SERVER_ERROR : ExchangeOutcome.REJECTED,
                    "HTTP " + status + problemDetail(wae));
        }
        if (has(t, SSLException.class)) {
            return new PeerExchangeException(
                    ExchangeOutcome.TLS,
                    "TLS: " + shorten(find(t, SSLException.class).getMessage()));
        }
        if (has(t, ConnectException.class)) {
            return new PeerExchangeException(ExchangeOutcome.REFUSED, "connection refused");
        }
        if (has(t, UnknownHostException.class)) {
            return new PeerExchangeException(ExchangeOutcome.ERROR, "unknown host " + peer(t));
        }
        if (t instanceof ProcessingException
                && has(t, com.fasterxml.jackson.core.JsonProcessingException.class)) {
            return new PeerExchangeException(ExchangeOutcome.INVALID, "unreadable snapshot");
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String what = root instanceof IOException ? "I/O error" : root.getClass().getSimpleName();
        return new PeerExchangeException(
                ExchangeOutcome.ERROR,
                what + (root.getMessage() == null ? "" : ": " + shorten(root.getMessage())));
    }

    private static String peer(Throwable t) {
        UnknownHostException u = find(t, UnknownHostException.class);
        return u == null ? "" : shorten(u.getMessage());
    }

    private static String problemDetail(WebApplicationException e) {
        try {
            e.getResponse().bufferEntity();
            String body = e.getResponse().readEntity(String.class);
            int at = body == null ? -1 : body.indexOf("\"detail\":\"");
            if (at >= 0) {
                int end = body.indexOf('"', at + 10);
                if (end > at) {
                    return ": " + shorten(body.substring(at + 10, end));
                }
            }
        } catch (RuntimeException ignored) {
            // the status alone will do
        }
        return "";
    }

    private static String shorten(String s) {
        if (s == null) {
            return "";
        }
        String one = s.replace('\n', ' ').replace('\r', ' ');
        return one.length() > MAX_MESSAGE ? one.substring(0, MAX_MESSAGE) + "..." : one;
    }

    private static boolean has(Throwable t, Class<? extends Throwable> type) {
        return find(t, type) != null;
    }

    private static <E extends Throwable> E find(Throwable t, Class<E> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    @Override
    public void close() {
        if (api instanceof Closeable c) {
            try {
                c.close();
            } catch (IOException | RuntimeException ignored) {
                // shutting down
            }
        }
    }
}
