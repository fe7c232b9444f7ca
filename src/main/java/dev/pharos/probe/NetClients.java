package dev.pharos.probe;

import dev.pharos.config.IpLiterals;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.TrustOptions;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link NetClient} per distinct (connect timeout, TLS verification, CA file): the connect
 * timeout and trust settings are client options, and clients are too costly to build per probe.
 * Clients never pool connections, so sharing one between probes does not share connections.
 *
 * <p>All clients are plain TCP ({@code ssl=false}); https probes upgrade the socket themselves so
 * the TLS handshake is timed apart from the connect.
 */
final class NetClients {
    private record Key(long connectTimeoutMillis, boolean verify, Optional<Path> caFile) {}

    private final Vertx vertx;
    private final Optional<InetAddress> sourceAddress;
    private final Map<Key, NetClient> clients = new ConcurrentHashMap<>();
    private volatile boolean closed;

    NetClients(Vertx vertx, Optional<InetAddress> sourceAddress) {
        this.vertx = vertx;
        this.sourceAddress = sourceAddress;
    }

    /**
     * The client for these settings, created on first use. Throws if the CA file cannot be loaded
     * (nothing is cached then, so a fixed file is picked up by the next probe).
     */
    NetClient client(Duration connectTimeout, boolean verify, Optional<Path> caFile) {
        if (closed) {
            throw new IllegalStateException("probers are closed");
        }
        Key key = new Key(Math.max(1, connectTimeout.toMillis()), verify, caFile);
        return clients.computeIfAbsent(key, this::create);
    }

    private NetClient create(Key key) {
        NetClientOptions options =
                new NetClientOptions()
                        .setConnectTimeout(
                                (int) Math.min(Integer.MAX_VALUE, key.connectTimeoutMillis))
                        .setReconnectAttempts(0)
                        .setTcpKeepAlive(false)
                        .setTcpNoDelay(true)
                        .setSsl(false)
                        // Vert.x 4.5 defaults this to null, and upgradeToSsl then fails with
                        // "Missing hostname verification algorithm"; "" means "do not verify".
                        .setHostnameVerificationAlgorithm(key.verify ? "HTTPS" : "");
        if (key.verify) {
            options.setTrustOptions(TrustOptions.wrap(CaTrust.withDefaults(key.caFile)));
        } else {
            options.setTrustAll(true);
        }
        sourceAddress.ifPresent(a -> options.setLocalAddress(IpLiterals.toText(a)));
        return vertx.createNetClient(options);
    }

    Future<Void> close() {
        closed = true;
        List<Future<Void>> closing = new ArrayList<>();
        clients.values().forEach(c -> closing.add(c.close()));
        clients.clear();
        return Future.join(closing).mapEmpty();
    }
}
