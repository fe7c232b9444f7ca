package dev.pharos.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * @param vantagePoints this node's name first, then the peers'
 * @param size votes needed for a verdict
 * @param maxClockSkew how far a peer's clock may run ahead of this one ({@code startedAt})
 * @param tlsConfigurationName the Quarkus TLS configuration for https peers (checked to exist);
 *     empty: the default one, if any
 * @param reprobe cooperative re-probe: asking peers to re-probe a target that starts failing here
 * @param catchUp restart catch-up: silent until the deciding peers' desired state is taken
 * @param peerMtls {@code pharos.api.peer-mtls}: a verified client certificate naming a peer is that
 *     peer's credential
 */
public record QuorumSettings(
        List<String> vantagePoints,
        int size,
        Duration staleAfter,
        int warmupRounds,
        Duration exchangeInterval,
        Duration exchangeTimeout,
        Duration maxClockSkew,
        Optional<String> tlsConfigurationName,
        Reprobe reprobe,
        CatchUp catchUp,
        boolean peerMtls) {

    /**
     * @param enabled ask every peer to re-probe a target when a failure here starts a fall sequence
     * @param sendInterval at most one request per target sent this often
     * @param receiveInterval at most one re-probe per target taken on peers' requests this often
     */
    public record Reprobe(boolean enabled, Duration sendInterval, Duration receiveInterval) {}

    /**
     * @param enabled a restarted instance with peers stays silent until it has taken the deciding
     *     peers' desired state
     * @param timeout without any deciding peer for this long, it serves its restored state
     */
    public record CatchUp(boolean enabled, Duration timeout) {}
}
