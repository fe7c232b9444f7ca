package dev.pharos.probe;

import dev.pharos.config.ProbeSpec;
import dev.pharos.config.ProbeType;
import dev.pharos.config.Target;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Probes http and https targets with a hand-written HTTP/1.1 exchange over a raw {@link NetClient}
 * connection rather than Vert.x's HttpClient: that gives the exact connect, TLS and first-byte
 * times, and a new connection per probe with no pool or keep-alive to hide a server that no longer
 * accepts.
 */
public final class HttpProber implements Prober {
    private final Vertx vertx;
    private final Clock clock;
    private final NetClients clients;

    /**
     * @param sourceAddress local address to connect from (the vantage point's), if any
     */
    public HttpProber(Vertx vertx, Clock clock, Optional<InetAddress> sourceAddress) {
        this(vertx, clock, new NetClients(vertx, sourceAddress));
    }

    HttpProber(Vertx vertx, Clock clock, NetClients clients) {
        this.vertx = vertx;
        this.clock = clock;
        this.clients = clients;
    }

    @Override
    public Future<ProbeResult> probe(Target target) {
        return probe(target, target.probe().timeout());
    }

    @Override
    public Future<ProbeResult> probe(Target target, Duration timeout) {
        ProbeSpec spec = target.probe();
        boolean tls = spec.type() == ProbeType.HTTPS;
        return ProbeRun.start(
                vertx,
                clock,
                target,
                timeout,
                run -> {
                    NetClient client;
                    try {
                        client =
                                tls
                                        ? clients.client(
                                                spec.connectTimeout(),
                                                spec.tlsVerify(),
                                                spec.tlsVerify() ? spec.caFile() : Optional.empty())
                                        : clients.client(
                                                spec.connectTimeout(), false, Optional.empty());
                    } catch (IllegalStateException e) {
                        run.fail(FailureReason.OTHER, e.getMessage());
                        return;
                    }
                    new HttpExchange(run, client, tls).start();
                });
    }

    /** Closes the connection clients; probes started afterwards fail with OTHER. */
    public Future<Void> close() {
        return clients.close();
    }
}
