package dev.pharos.observation;

import dev.pharos.config.QuorumSettings;
import dev.pharos.config.Topology;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Cooperative re-probe: when a failure here starts a fall sequence (the first failure after a
 * success, or the first probe of a target fails), every peer is asked to probe that target at once,
 * so each peer's own vote follows one re-check after the first failure anywhere instead of after
 * its own next scheduled probe. A re-probe is only an extra probe at the peer: each vantage point
 * still votes on its own probes alone, and a request carries no vote.
 *
 * <p>Both sides are rate-limited per target: at most one request per {@code
 * quorum.reprobe.send-interval} leaves here, and at most one re-probe per {@code
 * quorum.reprobe.receive-interval} is taken on peers' requests ({@link #mayTake}).
 */
@Singleton
public class CooperativeReprobe {
    private static final Logger LOG = Logger.getLogger(CooperativeReprobe.class);

    private final Topology topology;
    private final PeerExchange exchange;
    private final ObservationMetrics metrics;
    private final ReprobeLimiter sending;
    private final ReprobeLimiter receiving;

    @Inject
    public CooperativeReprobe(
            Topology topology, PeerExchange exchange, ObservationMetrics metrics, Clock clock) {
        this.topology = topology;
        this.exchange = exchange;
        this.metrics = metrics;
        QuorumSettings.Reprobe r = topology.quorum().reprobe();
        this.sending = new ReprobeLimiter(clock, r.sendInterval());
        this.receiving = new ReprobeLimiter(clock, r.receiveInterval());
    }

    /**
     * A probe of this target failed and started a fall sequence here: asks every peer to re-probe
     * it (fire-and-forget), unless re-probe is off, there are no peers, or a request for the target
     * went out less than {@code send-interval} ago.
     *
     * @param detail what failed, for the peers' journals ("connection refused")
     */
    public void firstFailure(String targetId, String detail) {
        if (!topology.quorum().reprobe().enabled() || topology.peers().isEmpty()) {
            return;
        }
        if (!sending.tryAcquire(targetId)) {
            metrics.reprobe(ReprobeOutcome.SEND_RATE_LIMITED);
            return;
        }
        metrics.reprobe(ReprobeOutcome.SENT);
        LOG.debugf("asking every peer to re-probe %s: %s", targetId, detail);
        exchange.reprobe(
                new ReprobeRequest(
                        topology.nodeName(),
                        List.of(targetId),
                        "failed at " + topology.nodeName() + ": " + detail));
    }

    /**
     * Whether a peer's request to re-probe this (known) target may be taken now; counts it as
     * rate-limited if not.
     */
    public boolean mayTake(String targetId) {
        if (receiving.tryAcquire(targetId)) {
            return true;
        }
        metrics.reprobe(ReprobeOutcome.RECEIVE_RATE_LIMITED);
        return false;
    }
}
