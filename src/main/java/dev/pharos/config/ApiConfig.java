package dev.pharos.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code pharos.api}: the REST API's tokens, read into {@link ApiTokens}, and its limits per
 * client, read into {@link ApiLimits}.
 */
@ConfigMapping(prefix = "pharos.api")
public interface ApiConfig {
    /** Admin token for drains and confirmations (env PHAROS_API_ADMIN_TOKEN). */
    Optional<String> adminToken();

    /**
     * The token this vantage point presents to its peers in the observation exchange (env
     * PHAROS_API_PEER_TOKEN), its own: the peers know it by its SHA-256 ({@code
     * pharos.peers[].token-sha256}), and this instance accepts the peers' tokens by theirs, never
     * this one. Of a comma-separated list the first is sent (see docs/OPERATIONS.md, rotation).
     */
    Optional<String> peerToken();

    /**
     * Mutual TLS as the peers' identity (docs/QUORUM.md, "Identity"): the API port asks for client
     * certificates ({@code quarkus.http.ssl.client-auth: request} or {@code required}), and a peer
     * endpoint accepts a caller whose certificate, verified against the API's trust store, names a
     * configured peer in its subject CN or a DNS SAN; the peer client presents the key pair of the
     * exchange's TLS configuration. Peers' token digests and this instance's peer token become
     * optional.
     */
    @WithDefault("false")
    boolean peerMtls();

    /** Token Alertmanager uses for inbound alerts (env PHAROS_API_ALERT_TOKEN). */
    Optional<String> alertToken();

    /** If set, read-only endpoints need this token too (env PHAROS_API_READ_TOKEN). */
    Optional<String> readToken();

    /**
     * How long a request's body may take to arrive once its headers have; a slower one gets 408 and
     * its connection is closed. The body is read before any worker thread is given to the request.
     */
    @WithDefault("10s")
    Duration bodyTimeout();

    /** Requests one client address may have open at once; one more gets 429. */
    @WithDefault("32")
    int maxRequestsPerClient();
}
