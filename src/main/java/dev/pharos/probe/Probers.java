package dev.pharos.probe;

import dev.pharos.config.Target;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Optional;

/**
 * The prober for every target: dispatches on the probe type. The http(s) and tcp probers share one
 * set of connection clients, so a (connect timeout, trust) combination costs one client.
 */
public final class Probers implements Prober {
    private final NetClients clients;
    private final HttpProber http;
    private final TcpProber tcp;
    private final ContentFetcher content;

    /**
     * @param sourceAddress local address every probe connects from, if the vantage point has one
     */
    public Probers(Vertx vertx, Clock clock, Optional<InetAddress> sourceAddress) {
        this.clients = new NetClients(vertx, sourceAddress);
        this.http = new HttpProber(vertx, clock, clients);
        this.tcp = new TcpProber(vertx, clock, clients);
        this.content = new ContentFetcher(vertx, clock, clients);
    }

    /** Content fetches over the same connection clients as the probes. */
    public ContentFetcher content() {
        return content;
    }

    @Override
    public Future<ProbeResult> probe(Target target) {
        return switch (target.probe().type()) {
            case HTTP, HTTPS -> http.probe(target);
            case TCP -> tcp.probe(target);
        };
    }

    /** Closes the connection clients; probes started afterwards fail with OTHER. */
    public Future<Void> close() {
        return clients.close();
    }
}
